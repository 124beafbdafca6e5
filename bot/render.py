"""Turn a decided intent and network into answer text, from the templates in `intents/`.

All texts are written in Cyrillic by staff; `in_script` derives Latin at the
very end, so one template serves both scripts.  Nothing here invents a fact:
a fact comes from the knowledge file with its source, and a missing one is
said to be missing, with the network's website.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.knowledge import Network
from bot.loader import Bundle
from bot.script import Script, in_script


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

    def about_network(self, intent: str, network: Network) -> Section:
        """The answer to a network question (`joined`, `seat`, `link`, `membership`…)."""
        response = self.responses[intent]
        names = _names(network)
        if response.fact:
            fact = network.facts.get(response.fact)
            if fact is None:
                unknown = (response.unknown or "").format(**names)
                return Section(self.layout["unknown"].format(unknown=unknown, **names), network.display_name)
            body = self.layout["fact"].format(fact=fact.text, source=fact.source, **names)
            return Section(body, network.display_name)
        card = "\n\n".join(network.facts[key].text for key in ("about", "joined") if key in network.facts)
        body = (response.text or "").format(fact=card, source="", networks="", examples="", **names)
        return Section(_tidy(body), network.display_name if intent != "link" else None)

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
        """Answers that need no network: greeting, help, thanks, list, fallback."""
        template = self.responses[intent].text or ""
        return Section(_tidy(template.format(networks=self.network_list(), examples="", **_EMPTY_NAMES)))

    def clarify(self, questions: list[str]) -> Section:
        template = self.responses["clarify"].text or ""
        examples = "\n".join(self.layout["example_item"].format(question=q) for q in questions)
        return Section(template.format(examples=examples, networks="", **_EMPTY_NAMES))

    def question(self, intent: str, network: Network) -> str:
        """How a citizen would ask this: the text of a suggestion button."""
        return (self.responses[intent].question or "").format(**_names(network))

    def network_list(self) -> str:
        return "\n".join(self.layout["network_item"].format(**_names(n)) for n in self.networks)


_EMPTY_NAMES = {"name": "", "short": "", "website": "", "fact": "", "source": ""}


def _names(network: Network) -> dict[str, str]:
    return {"name": network.display_name, "short": network.short_name, "website": network.website}


def _tidy(text: str) -> str:
    """Drop the empty paragraphs a template leaves where an optional part was empty."""
    return "\n\n".join(part.strip() for part in text.split("\n\n") if part.strip())
