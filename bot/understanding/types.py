"""The types the stages hand each other: what a clause showed (`Evidence`), what it asks (`Reading`), what the
conversation carries into it (`Context`), and the two intents every stage knows by name (the engine's own,
`bot.intents` names them; what the rules treat every other intent as is data, `IntentRoles`).

Shared by `evidence` (which builds the evidence), the rules (which decide on it), `pipeline` (which runs them)
and `answering` (which turns readings into answers); none of them holds the others' types.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from bot.intents import CLARIFY, FALLBACK


@dataclass(frozen=True)
class Mention:
    """A network named in the question (bot/understanding/networks.py finds them; the message keeps them)."""

    network_id: str
    start: int  # token index in the folded question
    end: int  # one past the last token
    score: float  # 1.0 for an exact name, less for a misspelt one


__all__ = ["CLARIFY", "FALLBACK", "NAME_FOCUS", "WHERE", "Context", "Evidence", "Guess", "Mention", "Reading"]

# Questions about a network's names (focus names in language.yml): the rules read them, the answer names them.
NAME_FOCUS = frozenset({"name", "english", "original", "serbian", "former"})
WHERE = "where"  # the focus of `где`, `у ком граду` (language.yml `focus`)
YEAR_DIGITS = 4  # `2007`: a number of four digits is a year
# `Niš u NALED-u?`, `nis u eurocities mrezi`: the words that ask whether Niš is in what follows
IN = frozenset({"u", "unutar"})


@dataclass(frozen=True)
class Guess:
    """The engine's best reading of a question it did not answer outright (for staff reports)."""

    intent: str
    network: str | None
    score: float


@dataclass(frozen=True)
class Reading:
    """What one clause of a message was understood to ask."""

    intent: str
    networks: tuple[str, ...] = ()
    confidence: float = 1.0
    focus: frozenset[str] = frozenset()
    suggestions: tuple[tuple[str, str], ...] = ()  # (intent, network id) pairs to offer
    asked: str | None = None  # an unknown network's name, for `membership`
    fact: str | None = None  # the fact that identified the network, shown beside the card
    guess: Guess | None = None
    rule: str = ""
    compared: str | None = None  # earliest, latest, oldest…: `networks` are ranked by the intent's value
    without: tuple[str, ...] = ()  # networks compared whose value the file does not have
    scopes: tuple[str, ...] = ()  # a list of the networks of these scopes (national, international)
    facts: tuple[str, ...] = ()  # for a list of networks found by their facts: the fact of each, in order
    none_matched: bool = False  # a list of networks by a value none fits (`основане пре 1900`): all, with it


@dataclass(frozen=True)
class Context:
    """What the conversation carries into this clause."""

    network: str | None = None
    intent: str | None = None
    named: tuple[str, ...] = ()  # networks the message names beside the question (`НАЛЕД или СКГО, која је старија`)
    listed: tuple[str, ...] = ()  # the networks of the conversation's last list (`а која је од њих старија`)


@dataclass(frozen=True)
class Evidence:
    """Everything the earlier stages found in one clause."""

    tokens: tuple[str, ...]  # folded, courtesy set aside
    mentions: tuple[Mention, ...]
    ranked: tuple[tuple[str, float], ...]  # intents by classifier score, names masked
    focus: frozenset[str] = frozenset()
    unknown_words: tuple[str, ...] = ()  # content words neither the examples nor the facts know
    unmarked_words: tuple[str, ...] = ()  # …of those, the ones no list of language.yml gives a meaning (`најстарија`)
    plain_tokens: tuple[str, ...] = ()  # the tokens but those the lists of language.yml give a meaning
    unexplained_words: tuple[str, ...] = ()  # content words the examples do not know (the facts may)
    filler_only: bool = False  # nothing but names, the city, stop words and courtesy
    opener: int = 0  # how many leading tokens open a follow-up: `а`, `а шта је са`…
    only_question_words: bool = False  # `а где?`
    asks_only: tuple[str, ...] = ()  # besides names and an opener, only these question words (`а када НАЛЕД?`)
    unknown_name: str | None = None  # the user's words for a network we do not know
    near_name: str | None = None  # …unless they are a near miss of this network's name
    name_like: bool = False  # those words look like a name (capitals, Latin in Cyrillic, `mreža X`)
    identifying: bool = False  # `која мрежа …`, `колико мрежа …`
    asks_network: bool = False  # `чему`, `чије`, `од тих мрежа`: which network, by something it is known for
    counting: bool = False  # `колико мрежа`
    asks_when: bool = False  # `када`, `од које године`
    listing: bool = False  # `набројте`, `списак`, `где је све`
    ordering: bool = False  # `поређајте по години`, `хронолошки`
    renaming: bool = False  # `која мрежа је променила име`
    relating: frozenset[str] = frozenset()  # words that say how a network relates to a fact (`посвећена`)
    negated: bool = False  # `није`, `не`, `осим`: something in it is denied
    denied: frozenset[str] = frozenset()  # the words right after a negation (`нису основане`: `основане`)
    kind_worded: bool = False  # `мрежа`, `удружење`… stands in it (not as part of a name)
    question_worded: bool = False  # a question word stands in it (`када`, `која`); `мрежа из Шведске` has none
    plain_content: tuple[str, ...] = ()  # content words no list of language.yml gives a meaning (`crkva`)
    superlative: str | None = None  # `најстарија`, `прва`: a direction (earliest, latest, oldest…)
    comparative: str | None = None  # `старији`, `пре`: the same, between the networks named
    scopes: tuple[str, ...] = ()  # `националне`, `међународне`
    scope_worded: bool = False  # a scope's word stands in it, asked for or refused (`прескочи домаће`)
    roles: tuple[str, ...] = ()  # `председава`, `финансирао`: who does what (chair, funder…)
    membership_worded: bool = False  # `члан`, `припада`…
    century: int | None = None  # the first year of a century asked (`у двадесетом веку`: 1901), `centuries`
    which_worded: bool = False  # `која`, `који` (`identify_asking`), with or without a kind beside it
    hypothetical: bool = False  # `шта би Ниш изгубио кад би…`: it asks what would be (`Clause.hypothetical`)
    contrary: bool = False  # a word says Niš left or the network ended (`напустио`, `угашена`: `contrary`)
    names_other: bool = False  # `како се зове градоначелник…`: the name asked is of something not a network
    refers_back: bool = False  # `та мрежа`, `њој`: a network asked about before (`references`)
    membership_said: bool = False  # membership said by a word of its own (`члан`, `приступио`), not `мрежа` alone
    names_city: bool = False  # `Ниш` stands in it: `када је основан Ниш` is about the city
    strangers: tuple[str, ...] = ()  # proper nouns that are neither the city nor our networks (`Србије`)
    content_words: tuple[str, ...] = ()  # words of meaning outside the names (`ne` has none)
    context: Context = field(default_factory=Context)

    @property
    def followup_lead(self) -> bool:
        """It opens as a follow-up (`а …`, `i …`, `а шта је са …`)."""
        return self.opener > 0

    @cached_property  # (asked by most rules of every clause; `replace` makes a new instance, with its own)
    def networks(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.network_id for m in self.mentions))

    @property
    def top(self) -> tuple[str, float]:
        return self.ranked[0] if self.ranked else (FALLBACK, 0.0)

    @property
    def margin(self) -> float:
        return self.ranked[0][1] - self.ranked[1][1] if len(self.ranked) > 1 else self.top[1]

    @property
    def mention_score(self) -> float:
        return min((m.score for m in self.mentions), default=1.0)
