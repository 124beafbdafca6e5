"""Stage 4a: score every intent for a question, with a linear model trained on `intents/`.

The model is regularised least squares (ridge regression on one-hot targets):
a weight per feature and intent, learnt from the example phrasings, so words
that tell intents apart count and words that do not are ignored.  Unlike
matching a question against its closest example, a word no example used costs
nothing; it simply adds no evidence.  Out of scope is an intent like any other
(`fallback`, with its own examples).

Training solves the problem in its dual form, one n×n system for n examples
(numpy; well under a second for a thousand examples).  Examples are weighted: the
phrasings one line expands to share that line's weight by the square root of
their number, so an intent written with many alternatives does not outvote one
written plainly (`(Када|Кад|Од када) је Ниш (приступио|ушао у|…)` is many
examples, `Да ли је Ниш члан {network}?` one).  Answering needs no
numpy: the weights are a plain array, and a question's score is a sparse dot
product over its few hundred features.  A trained model is cached on disk
under a hash of everything it was trained from, so a restart with unchanged
files reads it back in milliseconds; an edit trains once, off the event loop
(the reloader runs in a thread).
"""

from __future__ import annotations

import marshal
import math
import os
from array import array
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from bot.cache import Memo
from bot.understanding.features import Features

KEPT_MODELS = 4  # cached models: the live one, and those of the last previews
WORDS_SUMMED = 5_000  # words whose summed rows a model keeps: ~600 B each (a tuple of a float per intent), ~3 MB

FORMAT = "ridge-v3"  # bump when features or training change: old cache files are then ignored
REGULARISATION = 0.5  # ridge λ (the feature vectors have length 1), chosen on the corpus with the thresholds
_BLOCK = 4096  # features per block when building the Gram matrix (bounds memory)

TrainingSet = Sequence[tuple[Features, str, float]]  # features, intent, weight


@dataclass(frozen=True)
class IntentModel:
    """A trained intent classifier: a weight per feature and intent, and each intent's bias."""

    intents: tuple[str, ...]
    index: dict[str, int]  # feature -> row
    weights: array[float]  # rows × len(intents), row-major
    bias: tuple[float, ...]
    # intent -> (stems, words) its examples use; kept with the model so a start from the cache
    # need not fold and stem every example again
    vocabulary: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = field(default_factory=dict)
    # one tuple of weights per feature, made the first time a question has that feature (a few MB as Python
    # floats when all are made; not pickled, so a kept engine loads in milliseconds): a question's rows are
    # picked and turned into columns by zip in C, about twice as fast as indexing a column per intent
    _rows: list[tuple[float, ...] | None] = field(init=False, repr=False, compare=False)
    # each word's known rows summed, per intent (`ranked_words`): a question costs a sum per word, not per feature
    _word_sums: Memo[str, tuple[float, ...]] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rows", [None] * len(self.index))
        object.__setattr__(self, "_word_sums", Memo(WORDS_SUMMED))

    def __getstate__(self) -> dict[str, object]:
        return {name: value for name, value in self.__dict__.items() if name not in ("_rows", "_word_sums")}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self.__post_init__()

    def warm(self) -> None:
        """Make every row now: before processes are forked, so that they share one copy instead of each its own."""
        for row in range(len(self._rows)):
            self._row(row)

    def _row(self, row: int) -> tuple[float, ...]:
        made = self._rows[row]
        if made is None:
            width = len(self.intents)
            made = self._rows[row] = tuple(self.weights[row * width : (row + 1) * width])
        return made

    def scores(self, features: Features) -> dict[str, float]:
        """A score per intent, about 1 for a clear match and about 0 for none."""
        # the features' rows grouped by the feature's value: most of a question's features occur once, so share
        # one value, and a group's weights are summed per intent (in C) before they are multiplied by it once
        groups: dict[float, list[tuple[float, ...]]] = {}
        index, rows = self.index, self._rows
        for feature, value in features.items():
            row = index.get(feature)
            if row is not None:
                groups.setdefault(value, []).append(rows[row] or self._row(row))
        totals = list(self.bias)
        for value, picked in groups.items():
            sums = map(sum, zip(*picked, strict=True))
            totals = [total + value * summed for total, summed in zip(totals, sums, strict=True)]
        return dict(zip(self.intents, totals, strict=True))

    def ranked(self, features: Features) -> list[tuple[str, float]]:
        return sorted(self.scores(features).items(), key=lambda pair: -pair[1])

    def ranked_words(
        self, tokens: Sequence[str], word_features: Callable[[str], Sequence[str]]
    ) -> list[tuple[str, float]]:
        """`ranked` of the tokens' features (`Featuriser`), summed a word at a time: each word's known rows are
        summed once and kept, and only a feature two words share is weighed again (`1 + log n` for its n times,
        as the featuriser weighs it). The same scores, to the last bits of a float's rounding."""
        counts = Counter(feature for token in tokens for feature in word_features(token))
        raw = [0.0] * len(self.intents)
        for token in tokens:
            summed = self._word_sums.get(token, lambda word: self._summed(word_features(word)))
            raw = [total + part for total, part in zip(raw, summed, strict=True)]
        # a feature seen n > 1 times was summed n times and weighs 1 + log n: grouped by n (a repeated word
        # repeats all its features), each group's rows summed in C and set right once
        repeated: dict[int, list[str]] = {}
        for feature, count in counts.items():
            if count > 1:
                repeated.setdefault(count, []).append(feature)
        squares = float(len(counts) - sum(map(len, repeated.values())))  # a feature seen once weighs 1
        get = self.index.get
        for count, features in repeated.items():
            weight = 1.0 + math.log(count)
            squares += len(features) * weight * weight
            rows = [self._row(row) for row in map(get, features) if row is not None]
            if rows:
                sums = map(sum, zip(*rows, strict=True))
                raw = [total + (weight - count) * summed for total, summed in zip(raw, sums, strict=True)]
        scale = 1.0 / (math.sqrt(squares) or 1.0)
        scores = [bias + scale * total for bias, total in zip(self.bias, raw, strict=True)]
        return sorted(zip(self.intents, scores, strict=True), key=lambda pair: -pair[1])

    def _summed(self, features: Sequence[str]) -> tuple[float, ...]:
        rows = [self._row(row) for row in map(self.index.get, features) if row is not None]
        return tuple(map(sum, zip(*rows, strict=True))) if rows else (0.0,) * len(self.intents)

    def knows(self, feature: str) -> bool:
        return feature in self.index


def train(examples: TrainingSet, regularisation: float = REGULARISATION) -> IntentModel:
    """Fit the weights to the examples (numpy is imported only here)."""
    import numpy as np

    intents = tuple(sorted({intent for _, intent, _ in examples}))
    features = sorted({feature for vector, _, _ in examples for feature in vector})
    index = {feature: row for row, feature in enumerate(features)}
    n = len(examples)
    targets = np.zeros((n, len(intents)))
    for row, (_, intent, _) in enumerate(examples):
        targets[row, intents.index(intent)] = 1.0
    weight = np.array([w for _, _, w in examples])
    bias = weight @ targets / weight.sum()
    # every (example, feature, value) at once: numpy places them a block at a time, not one by one
    rows = np.array([row for row, (vector, _, _) in enumerate(examples) for _ in vector], dtype=np.intp)
    columns = np.array([index[feature] for vector, _, _ in examples for feature in vector], dtype=np.intp)
    values = np.array([value for vector, _, _ in examples for value in vector.values()], dtype=np.float32)
    gram = np.zeros((n, n))
    blocks = []
    for first in range(0, len(features), _BLOCK):
        block = np.zeros((n, min(_BLOCK, len(features) - first)), dtype=np.float32)
        inside = (columns >= first) & (columns < first + block.shape[1])
        block[rows[inside], columns[inside] - first] = values[inside]
        gram += block @ block.T
        blocks.append(block)
    # weighted ridge in dual form: minimise Σ w·(y − xβ)² + λ|β|², so α = (K + λ·W⁻¹)⁻¹ (Y − bias)
    dual = np.linalg.solve(gram + regularisation * np.diag(1.0 / weight), targets - bias)
    weights = np.vstack([block.T @ dual for block in blocks]).astype(np.float64)
    return IntentModel(intents, index, array("d", weights.ravel().tobytes()), tuple(bias.tolist()))


def training_key(texts: Sequence[str]) -> str:
    """What a cached model is valid for: the training texts (with the settings that shape features)."""
    import hashlib  # here, like logging below: `ask` starts from a kept engine and needs neither (bot/started.py)

    digest = hashlib.sha256(FORMAT.encode())
    for text in texts:
        digest.update(b"\0" + text.encode())
    return digest.hexdigest()[:16]


def load_or_train(make: Callable[[], IntentModel], key: str, cache_dir: Path | None) -> IntentModel:
    """The cached model for `key`, or the one `make()` trains (then cached, when a folder is given).

    `make` is called only on a miss: featurising every example costs start-up time.
    """
    path = cache_dir / f"intent-model-{key}.bin" if cache_dir else None
    if path is not None:
        model = _read(path)
        if model is not None:
            return model
    model = _memo.get(key, lambda _: make())
    if path is not None:
        _write(path, model)
    return model


_memo: Memo[str, IntentModel] = Memo(1)  # the last model trained in this process (tests build many engines)


def _read(path: Path) -> IntentModel | None:
    try:
        intents, features, weights, bias, vocabulary = marshal.loads(path.read_bytes())
    except (OSError, ValueError, EOFError, TypeError):
        return None
    values = array("d")
    values.frombytes(weights)
    if len(values) != len(features) * len(intents):
        return None
    words = {intent: (tuple(stems), tuple(forms)) for intent, (stems, forms) in vocabulary.items()}
    return IntentModel(tuple(intents), {f: row for row, f in enumerate(features)}, values, tuple(bias), words)


def _write(path: Path, model: IntentModel) -> None:
    """Write atomically; a cache that cannot be written is only a slower next start."""
    features = sorted(model.index, key=model.index.__getitem__)
    vocabulary = {intent: (list(stems), list(forms)) for intent, (stems, forms) in model.vocabulary.items()}
    data = marshal.dumps((list(model.intents), features, model.weights.tobytes(), list(model.bias), vocabulary))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
        # The newest few are kept: a staff preview trains a model beside the live one and must not delete it.
        models = sorted(path.parent.glob("intent-model-*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in models[KEPT_MODELS:]:
            old.unlink(missing_ok=True)
    except OSError as error:
        import logging

        logging.getLogger(__name__).warning("could not cache the intent model in %s: %s", path.parent, error)
