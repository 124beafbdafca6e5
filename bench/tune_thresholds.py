"""Choose the classifier's regularisation and the decision thresholds: `python bench/tune_thresholds.py`.

A grid over λ (bot/understanding/classify.py) and the thresholds in
bot/thresholds.py, each setting scored on the corpus (what example
phrasings are tuned on) and the validation set (questions written apart, used
for this choice only) as fully correct minus three times confidently wrong,
summed over the two sets: a wrong answer given as sure costs more than a
question back.  Prints the best settings; where several tie, the rule
(docs/understanding.md, "Design decisions") is to keep the most cautious (higher
`accept`).  The held-out set is never read.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Engine  # noqa: E402
from bot.loader import load_bundle  # noqa: E402
from bot.thresholds import DEFAULT  # noqa: E402
from bot.understanding import classify  # noqa: E402
from bot.understanding.decide import Decider  # noqa: E402
from bot.understanding.features import Featuriser  # noqa: E402
from bot.understanding.pipeline import example_weights  # noqa: E402
from tests.support.labelled import CORPUS, VALIDATION, Report, grade_all  # noqa: E402

REGULARISATIONS = (0.5, 1.0, 2.0)
GRID = {
    "accept": (0.3, 0.35, 0.4, 0.45),
    "margin": (0.05, 0.1),
    "accept_with_unknown_words": (0.5, 0.6),
    "out_of_scope": (0.3, 0.4),
}
WRONG_COST = 3


def value(report: Report) -> float:
    return report.accuracy - WRONG_COST * report.confidently_wrong_rate


def main() -> None:
    bundle, _ = load_bundle()
    engine = Engine(bundle)
    understanding = engine.understanding
    weights = example_weights(bundle.intents.examples)
    featurise = Featuriser(bundle.lexicon)
    training = [(featurise(tokens), intent, w) for (tokens, intent), w in weights.items()]
    results = []
    for regularisation in REGULARISATIONS:
        understanding.model = classify.train(training, regularisation)
        for values in itertools.product(*GRID.values()):
            config = replace(DEFAULT, **dict(zip(GRID, values, strict=True)))
            understanding.decide = Decider(understanding.oracle, config)
            corpus, validation = grade_all(engine, CORPUS), grade_all(engine, VALIDATION)
            score = value(corpus) + value(validation)
            results.append((round(score, 4), config.accept, regularisation, values, corpus, validation))
    results.sort(key=lambda r: (r[0], r[1]), reverse=True)
    print(f"{'score':>6} {'λ':>4}  {' '.join(f'{name:>8.8}' for name in GRID)}  corpus (correct/wrong)  validation")
    for score, _, regularisation, values, corpus, validation in results[:12]:
        settings = " ".join(f"{v:>8}" for v in values)
        sets = "    ".join(f"{r.accuracy:6.1%} / {r.confidently_wrong_rate:4.1%}" for r in (corpus, validation))
        print(f"{score:>6.3f} {regularisation:>4}  {settings}  {sets}")


if __name__ == "__main__":
    main()
