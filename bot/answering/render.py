"""Turn a decided intent and network into answer text, from the templates in `intents/`.

All texts are written in Cyrillic by staff; `in_script` derives Latin at the
very end, so one template serves both scripts.  Nothing here invents a fact:
a fact comes from the knowledge file with its source, and a missing one is
said to be missing, with the network's website.  When the question asks for a
part the fact does not hold (which day, where), the answer says that too
(`details`; the sentences are in responses.yml).
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.answering.details import tells
from bot.knowledge import RANKED_BY_DIRECTION, Network, ranked_by
from bot.loader import Bundle
from bot.script import Script, in_script
from bot.understanding.types import NAME_FOCUS


@dataclass(frozen=True)
class Section:
    """One block of an answer: an optional bold title (the network) and the body."""

    body: str
    title: str | None = None

    @property
    def text(self) -> str:
        return f"{self.title}\n{self.body}" if self.title else self.body

    def in_script(self, script: Script) -> Section:
        title = in_script(self.title, script) if self.title else None
        return Section(in_script(self.body, script), title)


class Renderer:
    def __init__(self, bundle: Bundle):
        self.networks = bundle.knowledge.networks
        self.responses = bundle.intents.responses
        self.layout = bundle.intents.layout
        self.lexicon = bundle.lexicon

    def about_network(self, intent: str, network: Network, focus: frozenset[str] = frozenset()) -> Section:
        """The answer to a network question (`joined`, `seat`, `link`, `membership`…).

        `focus` names the parts of the fact the question asked for (`where`, `day`…);
        each the fact does not hold is admitted after it.
        """
        response = self.responses[intent]
        names = _names(network)
        if response.fact:
            fact = network.facts.get(response.fact)
            if fact is None:
                unknown = (response.unknown or "").format(**names)
                instead = network.facts.get(response.instead) if response.instead else None
                if instead is not None:  # `what is the goal of ECAD`: none kept, but what ECAD is says much of it
                    body = self.layout["unknown_instead"].format(
                        unknown=unknown, fact=instead.text, source=instead.source, **names
                    )
                    return Section(body, network.display_name)
                return Section(self.layout["unknown"].format(unknown=unknown, **names), network.display_name)
            text = fact.text
            if who := self._who(intent, network, focus):
                text = f"{who}\n\n{text}"
            asked_names = focus & NAME_FOCUS if response.names else frozenset()
            if asked_names:
                text = f"{self._names_of(response.names, network)}\n\n{text}"
            missing = [
                response.details[part].format(**names)
                for part in sorted(focus & set(response.details))
                if not (_has_name(network, part) if part in asked_names else tells(text, part, self.lexicon))
            ]
            body = self.layout["fact"].format(fact=" ".join([text, *missing]), source=fact.source, **names)
            return Section(body, network.display_name)
        quoted = [network.facts[key] for key in ("about", "joined") if key in network.facts]
        card = "\n\n".join(fact.text for fact in quoted)
        source = ", ".join(dict.fromkeys(fact.source for fact in quoted))  # every fact the card quotes, once
        body = (response.text or "").format(fact=card, source=source, networks="", examples="", count="", **names)
        # what the question asked that no fact holds (`број телефона НАЛЕД-а`: the site, and that we keep no number)
        missing = [response.details[part].format(**names) for part in sorted(focus & set(response.details))]
        body = "\n\n".join([_tidy(body), *missing])
        return Section(body, network.display_name if intent != "link" else None)

    def _names_of(self, lines: dict[str, str], network: Network) -> str:
        """The network's names, a line each (`names` in responses.yml), for a question that asks a name."""
        values = {
            "name": network.display_name,
            "original_name": network.original_name if network.original_name != network.english_name else None,
            "english_name": network.english_name,
            "former_names": ", ".join(network.former_names),
        }
        return "\n".join(line.format(value=values[key]) for key, line in lines.items() if values.get(key))

    def compared(
        self, intent: str, ranked: tuple[Network, ...], direction: str, without: tuple[Network, ...], between: bool
    ) -> list[Section]:
        """A comparison's answer: which network comes first and by how much (`compared` in responses.yml), its
        fact with the source; between named networks the others' facts too; the networks we lack the value of."""
        response = self.responses[intent]
        winner = ranked[0]
        value = winner.value(ranked_by(response.fact, direction) or "")
        head = response.compared[direction].format(value=value, **_names(winner))
        first = self.about_network(intent, winner)
        sections = [Section(f"{head}\n\n{first.body}", first.title)]
        if between:
            sections += [self.about_network(intent, network) for network in ranked[1:]]
        own_value = direction in RANKED_BY_DIRECTION  # its sentence says it counts only those it knows
        if without and response.missing_value and not own_value:
            sections.append(Section(response.missing_value.format(networks=_short_names(without))))
        return sections

    def listing(
        self,
        intent: str,
        networks: tuple[Network, ...],
        facts: tuple[str, ...],
        scopes: tuple[str, ...],
        without: tuple[Network, ...] = (),
        none_matched: bool = False,
    ) -> list[Section]:
        """A list of some networks: those of a scope (`scopes`), or those whose facts fit the question (`matching`,
        each with the fact that fits; `none_matching` when none does and all are shown), and those whose fact the
        file lacks (`without`)."""
        response = self.responses[intent]
        if scopes:
            parts = []
            if len(scopes) > 1 and "all" in response.scopes:  # `колико је међународних и домаћих`: and in all
                parts.append(response.scopes["all"].format(count=len(networks), networks=""))
            for scope in scopes:
                members = [network for network in networks if network.scope == scope]
                items = "\n".join(self.layout["network_item"].format(**_names(n)) for n in members)
                parts.append(response.scopes[scope].format(count=len(members), networks=items))
            return [Section("\n\n".join(parts))]
        items = "\n".join(
            self.layout["network_fact_item"].format(fact=network.facts[fact].text, **_names(network))
            for network, fact in zip(networks, facts, strict=True)
        )
        head = (response.none_matching if none_matched else None) or response.matching or ""
        sections = [Section(head.format(count=len(networks), networks=items))]
        if without and response.missing_value:  # by their full names: the list may not have named them yet
            missing = "\n".join(self.layout["network_item"].format(**_names(n)) for n in without)
            sections.append(Section(response.missing_value.format(networks=missing)))
        return sections

    def _who(self, intent: str, network: Network, focus: frozenset[str]) -> str | None:
        """Who founded it, when the question asks and the network's description says it (NALED: USAID)."""
        response = self.responses[intent]
        if "who" not in focus or "who" not in response.details or not response.fact:
            return None
        main, about = network.facts.get(response.fact), network.facts.get("about")
        if main is None or about is None or tells(main.text, "who", self.lexicon):
            return None
        return about.text if tells(about.text, "who", self.lexicon) else None

    def out_of_scope(self, network: Network | None, offered: list[str]) -> Section:
        """A question we cannot answer; about a named network, with its website; else the questions offered."""
        template = self.responses["fallback"].about_network if network else None
        if network is None or template is None:
            examples = "\n".join(self.layout["example_item"].format(question=q) for q in offered)
            text = (self.responses["fallback"].text or "").format(
                examples=examples, networks="", count="", **_EMPTY_NAMES
            )
            return Section(_tidy(text))
        return Section(template.format(**_names(network)), network.display_name)

    def card(self, network: Network) -> Section:
        """A network's card: what it is, when Niš joined, the website."""
        parts = {}
        for key in ("about", "joined"):
            fact = network.facts.get(key)
            response = self.responses.get(key)
            unknown = (response.unknown or "") if response else ""
            parts[key] = fact.text if fact else unknown.format(**_names(network))
        body = self.layout["card"].format(**parts, **_names(network))
        return Section(_tidy(body), network.display_name)

    def unknown_network(self, asked: str) -> Section:
        template = self.responses["membership"].unknown_network or ""
        return Section(template.format(asked=asked, networks=self.network_list()))

    def plain(self, intent: str) -> Section:
        """Answers that need no network: greeting, help, thanks, list (with how many), fallback."""
        template = self.responses[intent].text or ""
        text = template.format(networks=self.network_list(), count=len(self.networks), examples="", **_EMPTY_NAMES)
        return Section(_tidy(text))

    def clarify(self, questions: list[str]) -> Section:
        template = self.responses["clarify"].text or ""
        examples = "\n".join(self.layout["example_item"].format(question=q) for q in questions)
        return Section(template.format(examples=examples, networks="", count="", **_EMPTY_NAMES))

    def question(self, intent: str, network: Network | None) -> str:
        """How a citizen would ask this: the text of a suggestion button."""
        return (self.responses[intent].question or "").format(**(_names(network) if network else _EMPTY_NAMES))

    def network_list(self) -> str:
        return "\n".join(self.layout["network_item"].format(**_names(n)) for n in self.networks)


_EMPTY_NAMES = {"name": "", "short": "", "website": "", "fact": "", "source": ""}


def _names(network: Network) -> dict[str, str]:
    return {"name": network.display_name, "short": network.short_name, "website": network.website}


def _short_names(networks: tuple[Network, ...]) -> str:
    return ", ".join(network.short_name for network in networks)


def _has_name(network: Network, focus: str) -> bool:
    """Whether the file has the name a question asks for (`english` → english_name…)."""
    asked = {"english": network.english_name, "original": network.original_name, "former": network.former_names}
    return bool(asked.get(focus, True))


def _tidy(text: str) -> str:
    """Drop the empty paragraphs a template leaves where an optional part was empty."""
    return "\n\n".join(part.strip() for part in text.split("\n\n") if part.strip())
