"""How the understanding code is laid out, where a line-by-line reading would not notice it drifting: the
lexicon keeps no tables that outlive a reload, the rules ask only through the oracle, and thresholds live in
`config`."""

from __future__ import annotations

import bot.lexicon
from bot.lexicon import Phrases, phrase_at


def test_the_lexicon_module_keeps_no_tables_of_its_own() -> None:
    """Tables built for finding phrases stay with the phrases: a reload's new lexicon does not add to them."""
    kept = [name for name, value in vars(bot.lexicon).items() if isinstance(value, dict | list | set)]
    assert kept == ["__builtins__"]


def test_a_phrase_list_builds_its_tables_once_and_keeps_them() -> None:
    phrases = Phrases([("od", "kada"), ("kada",), ("od",)])
    assert phrases.by_first_word is phrases.by_first_word
    assert phrases.by_first_word == {"od": (("od", "kada"), ("od",)), "kada": (("kada",),)}
    assert phrases.words == {"od", "kada"}
    assert phrase_at(("a", "od", "kada"), 1, phrases) == ("od", "kada")
    assert phrase_at(("a", "od", "kada"), 1, [("od",)]) == ("od",)  # any other list of phrases works too
