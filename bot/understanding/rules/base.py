"""What every kind of rule stands on: the oracle, the thresholds, what the intents are to the rules, and the
helpers rules of several kinds use."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.thresholds import Config
from bot.understanding.oracle import Oracle
from bot.understanding.types import FALLBACK, Evidence, Guess, Reading

ORDINALS = frozenset({"earliest", "latest"})  # `први`, `последњи`: also words of names (`Прва светска конференција`)


class RuleBase:
    """The oracle the rules ask, the thresholds they decide with, and the intents they treat apart (`roles`:
    small talk, the list, the card…, found by their flags in responses.yml, so no rule names an intent)."""

    def __init__(self, oracle: Oracle, config: Config):
        self.oracle = oracle
        self.config = config
        self.roles = oracle.intent_roles()

    def _the_network(self, e: Evidence) -> str | None:
        """The one network the clause names, or, naming none, the one the conversation is about."""
        if e.mentions:
            return e.networks[0] if len(e.networks) == 1 else None
        return e.context.network

    def _as_if_named(self, e: Evidence, threshold: float) -> tuple[str, float] | None:
        """The best intent of a clause that names no network, read as if it named one, when that intent
        needs a network and scores at least `threshold` (`а када је основан?` → founded)."""
        rescored = self.oracle.rescore_with_network(e)
        if not rescored:
            return None
        intent, score = rescored[0]
        if not self.oracle.needs_network(intent) or score < threshold:
            return None
        return intent, score

    def _other_kind(self, e: Evidence) -> bool:
        """A word only out-of-scope questions use next to the kind of thing asked for: `фудбалска лига`."""
        return e.kind_worded and self._beside_kind(e, self.oracle.is_out_of_scope_word)

    def _scope_word(self, token: str) -> bool:
        """A scope's own word (`међународни`), not a stop word one of its phrases holds (`за` of `за Србију`)."""
        return self.oracle.is_scope_word(token) and not self.oracle.is_stopword(token)

    def _said_in_a_fact(self, e: Evidence) -> bool:
        """A first or a last that stands in a fact with two more words of the question: a name, not a ranking
        nor a scope (`настала на првој светској конференцији историјских градова`; but `окупља градове из
        највише земаља` ranks)."""
        return e.superlative in ORDINALS and any(
            len(hit.matched) >= 3 and any(map(self.oracle.is_comparison_word, hit.matched))
            for hit in self.oracle.facts_of(None, e)
        )

    def _beside_kind(
        self, e: Evidence, describes: Callable[[str], bool], window: int | None = None, first_only: bool = False
    ) -> bool:
        """Whether a word `describes` takes stands `window` (`describe_window`) words or fewer from a kind's word,
        within the words that may describe it: before the kind, up to a word with a meaning of its own (`све`,
        `које`, a scope, a stop word: in `izbaci sve mreže` the verb does not describe the networks, in `sve
        fudbalske mreže` the word beside does); after it, every one (`организације за младе`, `mreže autobusa`,
        and a verb that may say another relation: `мреже Ниш бојкотује`). `first_only`: beside the first kind's
        word only, the kind asked for (`удружење … из конференције одржане 1987`: not the conference's)."""
        tokens, window = e.tokens, self.config.describe_window if window is None else window
        plain, oracle = set(e.plain_tokens), self.oracle
        near: list[int] = []
        for k, token in enumerate(tokens):
            if not oracle.is_kind(token):
                continue
            for i in range(k - 1, max(-1, k - window - 1), -1):
                near.append(i)
                if (tokens[i] not in plain or oracle.is_stopword(tokens[i])) and not oracle.is_kind(tokens[i]):
                    break
            near.extend(range(k + 1, min(len(tokens), k + window + 1)))
            if first_only:
                break
        return any(describes(tokens[i]) for i in near if not oracle.is_kind(tokens[i]))

    def _fallback(self, e: Evidence, rule: str) -> Reading:
        intent, score = e.top
        network = e.networks[0] if e.networks else None
        guess = Guess(intent, network, score) if intent != FALLBACK else None
        return Reading(FALLBACK, e.networks[:1], 1.0 - score if intent != FALLBACK else score, guess=guess, rule=rule)

    def _offered(self, likeliest: Sequence[str]) -> list[str]:
        """The questions offered of a network when the question is unclear: the likeliest, then those of
        `clarify`'s `offers` (responses.yml), `max_offers` in all."""
        return list(dict.fromkeys([*likeliest, *self.roles.offered]))[: self.config.max_offers]
