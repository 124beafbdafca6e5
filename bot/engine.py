"""The question answering engine: question (+ conversation state) in, `Answer` out.

No Telegram here: the console, the tests and the Telegram layer all call
`Engine.answer`.  It is a small facade over two packages:

* `bot.understanding` – what the message asks (normalise → find networks →
  features → classify → decide);
* `bot.answering` – the answer text from the templates and the knowledge file,
  in the user's script.

A message with several questions is answered question by question, so
"Шта је СКГО? Када је основан?" gets both answers.

The same question in the same conversation state always gets the same answer,
so the last `answer_cache` answers are kept (BOT_ANSWER_CACHE): the popular
questions, and every clarify suggestion clicked, cost a lookup instead of about
1 ms of understanding.  Each engine has its own, so a reload never serves an
answer from the old knowledge.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from bot.answering.compose import Answer, Composer
from bot.answering.render import Renderer
from bot.dialogue import DialogueState
from bot.loader import Bundle
from bot.script import script_in_conversation
from bot.thresholds import DEFAULT, Config
from bot.understanding.pipeline import Understanding
from bot.understanding.types import Context, Guess, Reading

__all__ = ["Answer", "Conversation", "DialogueState", "Engine", "Guess"]
ANSWER_CACHE = 2048  # answers kept; a few MB
CACHED_QUESTION_CHARS = 200  # longer questions are rarely asked twice word for word: not kept


class Engine:
    def __init__(
        self, bundle: Bundle, model_cache: Path | None = None, config: Config = DEFAULT, answer_cache: int = 0
    ):
        """`model_cache`: a folder for the trained classifier, so an unchanged restart skips training;
        `answer_cache`: how many answers to keep (0: none; the servers keep ANSWER_CACHE)."""
        self.bundle = bundle
        self.networks = {n.id: n for n in bundle.knowledge.networks}
        self.responses = bundle.intents.responses
        self.understanding = Understanding(bundle, model_cache, config)
        self.finder = self.understanding.finder
        self.renderer = Renderer(bundle)
        self.composer = Composer(self.renderer, self.networks)
        self.answer_cache = answer_cache
        self._keep_answers()

    def __getstate__(self) -> dict[str, object]:
        """What is pickled (bot/started.py): all but the answer cache, which is made anew on unpickling."""
        return {name: value for name, value in self.__dict__.items() if name != "_cached"}

    def __setstate__(self, state: dict[str, object]) -> None:
        self.__dict__.update(state)
        self._keep_answers()

    def _keep_answers(self) -> None:
        """The answer cache, empty: made at construction and again on unpickling (it holds bound methods)."""
        cache = self.answer_cache
        self._cached = lru_cache(maxsize=cache)(self._answer) if cache else self._answer

    def warm(self) -> None:
        """Make now what answering would make as it goes (the model's rows): before a fork, shared by the children."""
        self.understanding.model.warm()

    def answer(self, question: str, state: DialogueState | None = None) -> Answer:
        state = state or DialogueState()
        if len(question) > CACHED_QUESTION_CHARS:
            return self._answer(question, state)
        return self._cached(question, state)

    def _answer(self, question: str, state: DialogueState) -> Answer:
        read = question[: self.understanding.config.max_chars]  # what is read of a long message (config)
        script = script_in_conversation(read, state.script)
        listed = tuple(network for network in state.listed if network in self.networks)  # staff may remove one
        readings = self.understanding.read(read.strip(), Context(state.network, state.intent, listed=listed))
        return self.composer.compose(question, readings, script, state)

    def answer_intent(self, intent: str, network_id: str | None, state: DialogueState | None = None) -> Answer:
        """Answer a question already understood (a button): `intent` about `network_id` (none: `list`…)."""
        state = state or DialogueState()
        response = self.responses.get(intent)
        network = self.networks.get(network_id or "")
        if response is None or response.needs_network != (network is not None):
            return self.composer.compose("", [Reading("fallback", rule="button")], state.script, state)
        question = self.renderer.question(intent, network)
        networks = (network.id,) if network else ()
        return self.composer.compose(question, [Reading(intent, networks, rule="button")], state.script, state)


class Conversation:
    """One user's dialogue: remembers the state between messages."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self.state = DialogueState()

    def ask(self, question: str) -> Answer:
        answer = self.engine.answer(question, self.state)
        self.state = answer.state
        return answer
