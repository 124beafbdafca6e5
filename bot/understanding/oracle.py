"""What the rules may ask beyond the evidence of a clause: the `Oracle` they depend on.

A `typing.Protocol`: the rules see only these questions, so a test answers them
as it likes (tests/unit/test_decide.py) and the pipeline answers them from the
loaded files and the classifier (`lookups.Lookups`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from bot.intents import IntentRoles
from bot.understanding.search import Hit
from bot.understanding.types import Evidence


class Oracle(Protocol):
    """What rules may ask the rest of the pipeline (kept apart so the rules stay pure)."""

    def intent_roles(self) -> IntentRoles:
        """The intents the rules treat apart (small talk, the list, the card…), found by their flags in
        responses.yml: the rules name none."""
        ...

    def needs_network(self, intent: str) -> bool: ...

    def has_detail(self, intent: str, focus: str) -> bool: ...

    def rescore_with_network(self, evidence: Evidence) -> tuple[tuple[str, float], ...]:
        """The clause's intents scored as if a network were named (for follow-ups)."""
        ...

    def explains(self, intent: str, evidence: Evidence, beyond: bool = False) -> bool:
        """Whether every content word of the clause is one the intent's examples use (`beyond`: or one a list
        of language.yml gives a meaning, `најстарија`, `националне`)."""
        ...

    def words_beyond(self, intent: str, evidence: Evidence) -> tuple[str, ...]:
        """The clause's content words that neither the intent's examples use nor a list of language.yml gives
        a meaning (`место` in `у којима Ниш има своје место`, for the list)."""
        ...

    def facts_of(self, network_id: str | None, evidence: Evidence) -> list[Hit]: ...

    def is_out_of_scope_word(self, word: str) -> bool:
        """Whether only the out-of-scope examples use the word (`фудбалска`, `спортски`)."""
        ...

    def search_words(self, network_id: str | None, evidence: Evidence) -> list[str]:
        """The question's words that `facts_of` looks for."""
        ...

    def intent_of_fact(self, fact: str) -> str | None: ...

    def offers(self) -> list[str]:
        """Networks to offer when a network question names none."""
        ...

    def renamed(self) -> list[str]:
        """Networks the file gives a former name."""
        ...

    def in_facts(self, network_id: str, word: str) -> bool:
        """Whether one of the network's facts uses the word (`Брисел` is in Energy Cities' seat)."""
        ...

    def about_the_city(self, intent: str) -> bool:
        """Whether the intent asks about Niš itself (`about_nis` in responses.yml): `joined`, `membership`."""
        ...

    def compare(self, intent: str, direction: str, among: Sequence[str]) -> list[str]:
        """`among` ranked by the value the intent's answers compare (`joined` by `joined_year`…), best first
        in the direction; networks without the value are left out.  Empty when the intent compares nothing."""
        ...

    def of_scope(self, scope: str) -> list[str]:
        """The networks of this scope (`national`, `international`), in the file's order."""
        ...

    def scope_of(self, network_id: str) -> str | None:
        """The network's scope (`national`, `international`), if the file gives one."""
        ...

    def fact_with_role(self, network_id: str, roles: Sequence[str]) -> str | None:
        """The fact of the network that says who holds one of the roles (chair, founder…), if one does."""
        ...

    def is_value(self, word: str) -> bool:
        """Whether a fact writes the word as a number or a name (`2007`, `Истанбулу`) no example uses."""
        ...

    def is_shared_place(self, word: str) -> bool:
        """Whether the word is the seat of several networks (`Београду`): it points at all of them."""
        ...

    def is_topic(self, word: str) -> bool:
        """Whether only one network's topics use the word (`енергија`)."""
        ...

    def fact_of_intent(self, intent: str) -> str | None:
        """The fact key an intent answers with (`joined` → `joined`), if it answers with a fact."""
        ...

    def is_scope_word(self, word: str) -> bool:
        """Whether the word says a scope (`националне`, `Србије`, `европске`)."""
        ...

    def is_comparison_word(self, word: str) -> bool:
        """Whether the word compares (`преко`, `више`, `најстарија`)."""
        ...

    def fact_of(self, network_id: str, fact: str) -> bool:
        """Whether the network has that fact in the file."""
        ...

    def is_kind(self, word: str) -> bool:
        """Whether the word names the kind of thing a network is (`мрежа`, `удружење`, `савез`)."""
        ...

    def is_stopword(self, word: str) -> bool:
        """Whether the word only ties others together (`у`, `за`, `је`)."""
        ...

    def is_count_word(self, word: str) -> bool:
        """Whether the word counts (`колико`: a one-word phrase of `count_asking` in language.yml)."""
        ...

    def is_which_word(self, word: str) -> bool:
        """Whether the word asks which one (`која`, `које`, `шта` of `шта је од`: a first word of `identify_asking`
        in language.yml)."""
        ...

    def is_indefinite(self, word: str) -> bool:
        """Whether the word says some rather than which (`неки`, `некој`: `indefinite`)."""
        ...

    def is_city_word(self, word: str) -> bool:
        """Whether the word names the city (`Ниш`, `града`; `city` in language.yml)."""
        ...

    def looks_like_a_verb(self, word: str) -> bool:
        """Whether the word ends as a verb's participle does (`затворена`, `банкротирала`: `verb_endings`)."""
        ...

    def says_membership(self, word: str) -> bool:
        """Whether the word says membership (`члан`, `приступио`, `унутра`: `membership_words`)."""
        ...

    def fact_holds(self, network_id: str, fact: str, word: str) -> bool:
        """Whether that fact of the network writes the word (in any case)."""
        ...

    def is_month(self, word: str) -> bool:
        """Whether the word is a month's name (`мају`, `aprila`: `months`)."""
        ...

    def is_contrary(self, word: str) -> bool:
        """Whether the word says the opposite of a fact: Niš left, the network ended (`напустио`, `угашена`)."""
        ...

    def value_of(self, intent: str, network_id: str) -> int | None:
        """The value the intent's answers compare (`joined` → `joined_year`, `size` → `members`…) for the network,
        if the file has it."""
        ...
