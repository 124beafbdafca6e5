"""Teach the bot what a question meant: the question goes into `intents/taught.yml`, the staff-owned intents
file, under `taught:` with its intent and network.

A taught question is an example its intent learns from (so similar questions are
understood too) and, written in either script, with or without diacritics, it
always gets that intent and network.  "Not our topic" is the intent `fallback`:
the bot learns to say so.  The edit goes through a draft (`bot/drafts.py`):
checked like any file, previewed, then written.
"""

from __future__ import annotations

from dataclasses import dataclass

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from bot import roundtrip
from bot.drafts import Draft
from bot.loader import Bundle
from bot.text import clean
from bot.thresholds import DEFAULT
from bot.understanding.pipeline import taught_key

TAUGHT_FILE = "taught.yml"
OUT_OF_SCOPE = "fallback"
NOT_TAUGHT = ("clarify",)  # an answer, not a meaning: no question is taught as a question back
MAX_QUESTION_CHARS = DEFAULT.max_chars  # what the engine reads of a message: a longer lesson could never match
HEADER = """\
Питања чије је значење особље научило бота (/staff или ./mreze teach).
Свако важи тачно такво, било којим писмом, са дијакритицима или без њих, а бот
из њега учи и слична питања. Уписује га /staff; руком се исправља као и остали
фајлови (./mreze validate). `network` је id мреже из knowledge/networks.yaml.
"""


@dataclass(frozen=True)
class Teach:
    """A lesson staff give: this question gets this intent (and network)."""

    question: str
    intent: str
    network: str | None = None

    @classmethod
    def of(cls, question: str, intent: str, network: str | None = None) -> Teach:
        return cls(
            " ".join(clean(question).split())[:MAX_QUESTION_CHARS], intent.strip(), (network or "").strip() or None
        )

    def problems(self, bundle: Bundle) -> list[str]:
        """What makes this lesson impossible with these files, as sentences for staff (none: it can be tried)."""
        responses = bundle.intents.responses
        if not taught_key(self.question):
            return ["Питање је празно: упишите питање онако како га је грађанин поставио."]
        response = responses.get(self.intent)
        if response is None or self.intent in NOT_TAUGHT:
            known = ", ".join(sorted(set(bundle.intents.intent_names)))
            return [f"Намера `{self.intent}` не постоји. Постоје: {known}."]
        if self.network and self.network not in bundle.knowledge.by_id:
            known = ", ".join(n.id for n in bundle.knowledge.networks)
            return [f"Мреже `{self.network}` нема у knowledge/networks.yaml. Постоје: {known}."]
        if response.needs_network and not self.network:
            return [f"Намера `{self.intent}` пита о једној мрежи: изаберите и мрежу."]
        if self.network and not response.needs_network:
            return [f"Намера `{self.intent}` се не односи на једну мрежу: мрежу изоставите."]
        return []

    def describe(self) -> str:
        about = f" о мрежи {self.network}" if self.network else ""
        meaning = "није наша тема" if self.intent == OUT_OF_SCOPE else f"намера {self.intent}{about}"
        return f"научено: „{self.question}“ — {meaning}"

    def apply(self, draft: Draft) -> None:
        """Write the lesson into the draft's taught file (a question taught again gets its new meaning)."""
        path = draft.intents / TAUGHT_FILE
        document = roundtrip.read(path) if path.exists() else _new_file()
        lessons = document.setdefault("taught", CommentedSeq())
        key = taught_key(self.question)
        for index in reversed(range(len(lessons))):
            if isinstance(lessons[index], dict) and taught_key(str(lessons[index].get("question", ""))) == key:
                del lessons[index]
        lesson = CommentedMap(question=self.question, intent=self.intent)
        if self.network:
            lesson["network"] = self.network
        lessons.append(lesson)
        roundtrip.write(path, document)


def _new_file() -> CommentedMap:
    document = CommentedMap()
    document.yaml_set_start_comment(HEADER)
    document["taught"] = CommentedSeq()
    return document
