"""How the understanding code is laid out, where a line-by-line reading would not notice it drifting: the
lexicon keeps no tables that outlive a reload, the rules ask only through the oracle, and thresholds live in
`bot/thresholds.py`."""

from __future__ import annotations

import ast
from pathlib import Path
from types import ModuleType

import pytest

import bot.lexicon
import bot.phrases
from bot.loader import Bundle
from bot.phrases import Phrases, consists_of, phrase_at

BOT = Path(__file__).resolve().parents[2] / "bot"
UNDERSTANDING = BOT / "understanding"
# Numbers that set how a model or an index is built, or how much a cache keeps, not where a decision falls
# (config's docstring says why they stay with their code).
NOT_THRESHOLDS = {
    "classify.py": {"KEPT_MODELS", "REGULARISATION", "_BLOCK", "WORDS_SUMMED"},
    "features.py": {"NGRAMS", "FEATURED_WORDS"},
    "search.py": {"K1", "B"},
    "facts.py": {"MAX_DAY"},  # the calendar's, not a threshold
    "types.py": {"YEAR_DIGITS"},  # the calendar's, not a threshold
    "values.py": {"DECADE", "CENTURY"},  # the calendar's, not thresholds
    "normalise.py": {"THOUSAND"},  # arithmetic's, not a threshold
}
# What the rules may import: the types they decide on, the oracle they ask, the thresholds, and each other.
RULES_IMPORT = {
    "__future__",
    "collections.abc",
    "dataclasses",
    "bot.thresholds",
    "bot.understanding.oracle",
    "bot.understanding.rules.base",
    "bot.understanding.search",  # the `Hit` type of what the oracle finds
    "bot.understanding.types",
}


def _is_number(node: ast.expr | None) -> bool:
    if isinstance(node, ast.Tuple):
        return bool(node.elts) and all(_is_number(element) for element in node.elts)
    return isinstance(node, ast.Constant) and type(node.value) in (int, float)


def _module_numbers(path: Path) -> set[str]:
    """The names a module binds to a number (or a tuple of numbers) at its top level."""
    found = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and _is_number(node.value):
            found |= {target.id for target in node.targets if isinstance(target, ast.Name)}
        elif isinstance(node, ast.AnnAssign) and _is_number(node.value) and isinstance(node.target, ast.Name):
            found.add(node.target.id)
    return found


def test_every_threshold_of_understanding_and_the_lexicon_is_in_config() -> None:
    for path in [*UNDERSTANDING.rglob("*.py"), BOT / "lexicon.py"]:
        assert _module_numbers(path) <= NOT_THRESHOLDS.get(path.name, set()), path.relative_to(BOT)


def test_the_rules_know_the_rest_of_the_pipeline_only_through_the_oracle() -> None:
    for path in (UNDERSTANDING / "rules").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        imported |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
        assert imported <= RULES_IMPORT, path.name


def test_storage_keeps_the_dialogue_state_without_importing_answering() -> None:
    for path in (BOT / "storage").glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(module.startswith("bot.answering") for module in imported), path.name


@pytest.mark.parametrize("module", [bot.lexicon, bot.phrases])
def test_the_lexicon_and_phrase_modules_keep_no_tables_of_their_own(module: ModuleType) -> None:
    """Tables built for finding phrases stay with the phrases: a reload's new lexicon does not add to them."""
    kept = [name for name, value in vars(module).items() if isinstance(value, dict | list | set)]
    assert kept == ["__builtins__"]


def test_a_phrase_list_builds_its_tables_once_and_keeps_them() -> None:
    phrases = Phrases([("od", "kada"), ("kada",), ("od",)])
    assert phrases.by_first_word is phrases.by_first_word
    assert phrases.by_first_word == {"od": (("od", "kada"), ("od",)), "kada": (("kada",),)}
    assert phrases.words == {"od", "kada"}
    assert phrase_at(("a", "od", "kada"), 1, phrases) == ("od", "kada")
    assert phrase_at(("a", "od", "kada"), 1, [("od",)]) == ("od",)  # any other list of phrases works too


def test_a_follow_up_opener_is_the_longest_marker_it_begins_with(bundle: Bundle) -> None:
    lexicon = bundle.lexicon
    assert lexicon.opener(["a", "sta", "je", "sa", "mrezom", "naled"]) == 5
    assert lexicon.opener(["a", "sta", "je", "sa", "naled"]) == 4
    assert lexicon.opener(["a", "kada"]) == 1
    assert lexicon.opener(["kada", "je", "osnovan"]) == 0
    assert lexicon.opener([]) == 0


def test_only_question_words_are_question_words_one_after_another(bundle: Bundle) -> None:
    words = bundle.lexicon.question_words
    assert consists_of(["gde"], words) and consists_of(["od", "kada"], words) and consists_of([], words)
    assert not consists_of(["kada", "i", "zasto"], words)  # `i` joins two questions: normalise splits there
    assert not consists_of(["gde", "je", "naled"], words)
