"""How the understanding code is laid out, where a line-by-line reading would not notice it drifting: the
lexicon keeps no tables that outlive a reload, the rules ask only through the oracle, and thresholds live in
`config`."""

from __future__ import annotations

import bot.lexicon
from bot.lexicon import Phrases, consists_of, phrase_at
from bot.loader import Bundle


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
