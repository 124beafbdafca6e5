"""The intent classifier: it learns from weighted examples, and a trained model is cached by what it learnt from."""

from __future__ import annotations

import marshal
import os
from dataclasses import replace
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.intents import Example
from bot.loader import Bundle, load_bundle
from bot.understanding import classify
from bot.understanding.classify import KEPT_MODELS
from bot.understanding.features import Featuriser
from bot.understanding.pipeline import example_weights
from bot.yamlsource import Position
from tests.support.staff_files import copy_real_files, edit

HERE = Position("intents/networks.yml", 1, 1)


def test_a_trained_model_ranks_each_examples_intent_first(bundle: Bundle) -> None:
    featurise = Featuriser(bundle.lexicon)
    training = [
        (featurise(["kada", "je", "osnovan", "#"]), "founded", 1.0),
        (featurise(["gde", "je", "sediste", "#"]), "seat", 1.0),
        (featurise(["koliko", "clanova", "ima", "#"]), "size", 1.0),
    ]
    model = classify.train(training, regularisation=0.5)
    for vector, intent, _ in training:
        assert model.ranked(vector)[0][0] == intent


def test_a_line_with_alternatives_shares_its_weight_among_its_phrasings() -> None:
    line = "(Када|Кад|Од када|Откад) је Ниш приступио {network}?"
    expanded = [
        Example("joined", f"{w} је Ниш приступио {{network}}?", HERE, line) for w in ("Када", "Кад", "Од када", "Откад")
    ]
    plain = Example("membership", "Да ли је Ниш члан {network}?", HERE)
    weights = example_weights([*expanded, plain])
    assert sorted(weights.values()) == [0.5, 0.5, 0.5, 0.5, 1.0]  # four phrasings of one line: 1/√4 each


def test_an_unchanged_start_reads_the_cached_model_instead_of_training(
    tmp_path: Path, bundle: Bundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    classify._memo.clear()
    first = Engine(bundle, tmp_path)
    assert len(list(tmp_path.glob("intent-model-*.bin"))) == 1
    classify._memo.clear()

    def no_training(*_: object) -> None:
        raise AssertionError("trained although the model was cached")

    monkeypatch.setattr(classify, "train", no_training)
    second = Engine(bundle, tmp_path)
    question = "Када је Ниш приступио ECAD-у?"
    assert second.answer(question).text == first.answer(question).text


def test_a_damaged_cache_file_is_trained_again(tmp_path: Path, bundle: Bundle) -> None:
    classify._memo.clear()
    Engine(bundle, tmp_path)
    (cached,) = tmp_path.glob("intent-model-*.bin")
    cached.write_bytes(b"not a model")
    classify._memo.clear()
    engine = Engine(bundle, tmp_path)
    assert engine.answer("Шта је СКГО?").intent == "about"
    assert cached.read_bytes() != b"not a model"


def test_an_edited_example_trains_a_new_model_and_keeps_the_newest_few(tmp_path: Path) -> None:
    root = copy_real_files(tmp_path / "files")
    cache = tmp_path / "models"
    Engine(load_bundle(root / "knowledge" / "networks.yaml", root / "intents")[0], cache)
    before = {p.name for p in cache.glob("intent-model-*.bin")}
    edit(
        root / "intents" / "conversation.yml", "      - Здраво\n", "      - Здраво\n      - Добро вече свима у граду\n"
    )
    Engine(load_bundle(root / "knowledge" / "networks.yaml", root / "intents")[0], cache)
    after = {p.name for p in cache.glob("intent-model-*.bin")}
    assert len(after) == 2 and before < after  # the live model is kept beside a preview's (bot/editing.py)
    for number in range(KEPT_MODELS + 2):
        edit(
            root / "intents" / "conversation.yml",
            "      - Здраво\n",
            f"      - Здраво\n      - Поздрав број {number}\n",
        )
        Engine(load_bundle(root / "knowledge" / "networks.yaml", root / "intents")[0], cache)
    assert len(list(cache.glob("intent-model-*.bin"))) == KEPT_MODELS  # bounded


def test_a_question_with_no_known_feature_scores_each_intent_its_bias(engine: Engine) -> None:
    model = engine.understanding.model
    assert model.scores({"no-such-feature": 1.0}) == dict(zip(model.intents, model.bias, strict=True))
    known = next(iter(model.index))
    width = len(model.intents)
    row = model.weights[model.index[known] * width : (model.index[known] + 1) * width]  # row-major, as trained
    assert model.scores({known: 0.5}) == {
        intent: bias + 0.5 * weight for intent, bias, weight in zip(model.intents, model.bias, row, strict=True)
    }


REWORDED = ("      - Здраво\n", "      - Зимзелен здраво\n")  # the same intent, the same number of lines: new words
NEW_WORD = "w:zimzelen"


def reworded_bundle(root: Path) -> Bundle:
    edit(root / "intents" / "conversation.yml", *REWORDED)
    return load_bundle(root / "knowledge" / "networks.yaml", root / "intents")[0]


def test_an_example_reworded_in_place_trains_a_new_model_instead_of_reading_the_cached_one(tmp_path: Path) -> None:
    """The cache key is everything the model learns from: a reworded example with the same intent changes it."""
    root = copy_real_files(tmp_path / "files")
    cache = tmp_path / "models"
    before = Engine(load_bundle(root / "knowledge" / "networks.yaml", root / "intents")[0], cache)
    assert not before.understanding.model.knows(NEW_WORD)
    after = Engine(reworded_bundle(root), cache)
    assert after.understanding.model.knows(NEW_WORD)
    assert len(list(cache.glob("intent-model-*.bin"))) == 2


def test_a_model_remembered_in_this_process_serves_only_its_own_examples(tmp_path: Path, bundle: Bundle) -> None:
    """Without a cache folder (a staff preview, the tests) the process remembers the last model trained: an edit
    made since must not be answered by it."""
    Engine(bundle)  # the model of the files as they are, now the one remembered
    edited = Engine(reworded_bundle(copy_real_files(tmp_path)))
    assert edited.understanding.model.knows(NEW_WORD)
    assert not Engine(bundle).understanding.model.knows(NEW_WORD)  # and back: each gets the model of its own files


def test_the_model_remembered_for_the_same_examples_is_not_trained_again(
    bundle: Bundle, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Engine(bundle)

    def no_training(*_: object) -> None:
        raise AssertionError("trained again although this process has the model of these examples")

    monkeypatch.setattr(classify, "train", no_training)
    assert Engine(bundle).understanding.model is first.understanding.model


def test_a_model_trained_now_is_the_one_the_cache_holds(engine: Engine, bundle: Bundle) -> None:
    """The cache's promise: reading a model back gives exactly what training the same examples gives (the session's
    engine was read from, or written to, the run's model folder; this one is trained afresh, in this process). It
    also holds the examples as the pipeline turns them into training (phrasings, weights, `{network}` as a slot,
    the words of each intent): the mutation bench's `pipeline` group runs it for that."""
    classify._memo.clear()
    fresh = Engine(bundle).understanding.model
    cached = engine.understanding.model
    assert (fresh.intents, fresh.index, fresh.bias) == (cached.intents, cached.index, cached.bias)
    assert fresh.weights == cached.weights and fresh.vocabulary == cached.vocabulary


def only_model(folder: Path) -> Path:
    (path,) = folder.glob("intent-model-*.bin")
    return path


def test_a_start_takes_the_model_in_the_cache_file_of_its_key(tmp_path: Path, bundle: Bundle) -> None:
    """Whatever the file of its key holds is what a start uses (here a small model written in its place): it is
    read, not trained again, and read whole (the words of each intent too)."""
    classify._memo.clear()
    Engine(bundle, tmp_path)
    path = only_model(tmp_path)
    featurise = Featuriser(bundle.lexicon)
    small = classify.train(
        [(featurise(["zdravo", "#"]), "greeting", 1.0), (featurise(["gde", "je", "#"]), "seat", 1.0)]
    )
    small = replace(small, vocabulary={"greeting": (("zdrav",), ("zdravo",)), "seat": (("gde",), ("gde",))})
    classify._write(path, small)
    classify._memo.clear()
    read = Engine(bundle, tmp_path).understanding.model
    assert (read.intents, read.index, read.bias, read.vocabulary) == (
        small.intents,
        small.index,
        small.bias,
        small.vocabulary,
    )
    assert read.weights == small.weights


def test_a_cache_file_whose_weights_do_not_fit_its_features_is_trained_again(tmp_path: Path, bundle: Bundle) -> None:
    classify._memo.clear()
    trained = Engine(bundle, tmp_path).understanding.model
    path = only_model(tmp_path)
    intents, features, weights, bias, vocabulary = marshal.loads(path.read_bytes())
    path.write_bytes(marshal.dumps((intents, features[:-1], weights, bias, vocabulary)))  # one feature short
    classify._memo.clear()
    again = Engine(bundle, tmp_path).understanding.model
    assert again.index == trained.index and again.weights == trained.weights


def test_the_newest_cached_models_are_kept_by_when_they_were_written(tmp_path: Path, bundle: Bundle) -> None:
    cache = tmp_path / "a" / "b"  # made when missing, with its parents
    cache.mkdir(parents=True)
    stale = [cache / f"intent-model-{name}.bin" for name in ("zz", "aa", "mm", "bb", "yy")]
    for age, path in enumerate(stale):
        path.write_bytes(b"an older model")
        os.utime(path, (1_000_000 + age, 1_000_000 + age))  # zz the oldest, yy the newest
    classify._memo.clear()
    Engine(bundle, cache)
    left = sorted(p.name for p in cache.glob("intent-model-*.bin"))
    assert len(left) == KEPT_MODELS
    written = [name for name in left if name not in {p.name for p in stale}]
    assert len(written) == 1  # the model just written is the newest: kept
    assert set(left) == {written[0], "intent-model-mm.bin", "intent-model-bb.bin", "intent-model-yy.bin"}
    classify._memo.clear()
    Engine(bundle, tmp_path / "new" / "folder")
    assert len(list((tmp_path / "new" / "folder").glob("intent-model-*.bin"))) == 1


def test_a_cache_folder_that_cannot_be_written_is_logged_and_answering_goes_on(
    tmp_path: Path, bundle: Bundle, caplog: pytest.LogCaptureFixture
) -> None:
    blocked = tmp_path / "models"
    blocked.write_text("a file where the folder should be", encoding="utf-8")
    classify._memo.clear()
    engine = Engine(bundle, blocked)
    assert engine.answer("Шта је СКГО?").intent == "about"
    (said,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert said.startswith(f"could not cache the intent model in {blocked}: [Errno ")


def test_rows_are_made_as_questions_need_them_or_all_at_once_and_are_not_pickled(engine: Engine) -> None:
    import pickle

    model = pickle.loads(pickle.dumps(engine.understanding.model))  # as a kept engine (bot/started.py) is read
    assert all(row is None for row in model._rows)  # none pickled, none made yet
    features = engine.understanding.featurise(("kada", "je", "nis", "pristupio"))
    before = model.scores(features)
    made = sum(row is not None for row in model._rows)
    assert 0 < made <= len(features)  # only the rows of this question's features
    model.warm()
    assert all(row is not None for row in model._rows)
    assert model.scores(features) == before == engine.understanding.model.scores(features)


@pytest.mark.parametrize(
    "tokens",
    [
        ("kada", "je", "nis", "pristupio", "#"),
        ("ecad", "ecad", "ecad"),  # a word three times: its features weigh 1 + log 3, not 3
        ("mreza", "mreze", "mrezama", "koje", "su"),  # words sharing n-grams
        ("zzzq",),  # nothing the model knows: the bias alone
        (),
    ],
)
def test_scoring_a_word_at_a_time_gives_the_scores_of_every_feature_at_once(engine: Engine, tokens) -> None:
    """`ranked_words` keeps each word's summed rows; the ranking must be the model's own, to float rounding."""
    understanding = engine.understanding
    model = understanding.model
    whole = dict(model.ranked(understanding.featurise(tokens)))
    by_word = model.ranked_words(tokens, understanding.featurise.word)
    assert [intent for intent, _ in by_word] == sorted(whole, key=lambda intent: -whole[intent])
    assert all(abs(score - whole[intent]) < 1e-12 for intent, score in by_word)
    assert model.ranked_words(tokens, understanding.featurise.word) == by_word  # kept sums give the same
