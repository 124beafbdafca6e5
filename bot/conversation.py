"""The one door every channel goes through: a conversation and a text in, the answer to render out.

A turn is the same whichever channel carries it: the conversation's state from
its memory, the engine's answer (the engine keeps its own answer cache), the new
state remembered, and the answer counted, logged and, when the bot could not
answer, stored (bot/recording.py).  The quota is asked before the turn (`admit`),
and a vote on an answer goes through here too.  Telegram (bot/tg/), the web page
(bot/web/) and the console chat (bot/cli.py) are adapters: each turns what it
receives into `ask`, `press` or a vote and renders the `Turn` it gets back.

One `Door` per channel: each has its own memory (Telegram's chats in the
database, the web's ids in this process or shared by the web processes, the
console's in this process), its own quota, and its name in what is recorded.
"""

from __future__ import annotations

import time
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Generic, Protocol

from bot.engine import Answer, DialogueState, Engine
from bot.memory import Given, Key, Memory, Vote
from bot.quota import Quota, Verdict
from bot.recording import Recorder
from bot.text import clean


class Knowledge(Protocol):
    """Where the engine comes from: the live knowledge (bot/reloader.py), which a reload swaps between turns."""

    @property
    def engine(self) -> Engine: ...


@dataclass(frozen=True)
class Fixed:
    """An engine that never changes (the console chat)."""

    engine: Engine


@dataclass(frozen=True)
class Turn(Generic[Key]):
    """An answer and what the channel needs to render it: the conversation to continue and, for an answer
    about a network in a memory that keeps answers, the id to rate it by."""

    answer: Answer
    conversation: Key
    answer_id: str | None = None


class Door(Generic[Key]):
    def __init__(
        self,
        channel: str,
        knowledge: Knowledge,
        memory: Memory[Key],
        recorder: Recorder,
        quota: Quota | None = None,
    ):
        self.channel = channel
        self.knowledge = knowledge
        self.memory = memory
        self.recorder = recorder
        self.quota = quota

    @property
    def engine(self) -> Engine:
        return self.knowledge.engine

    def admit(self, sender: Hashable) -> Verdict:
        """Whether `sender` (a chat, a client's address) is within its quota; a refusal is counted."""
        if self.quota is None:
            return Verdict.ANSWER
        verdict = self.quota.check(sender)
        if verdict is not Verdict.ANSWER:
            self.recorder.over_quota(self.channel, verdict)
        return verdict

    def retry_after(self, sender: Hashable) -> int:
        """Whole seconds until `sender` may ask again (0: now)."""
        return self.quota.retry_after(sender) if self.quota is not None else 0

    def state(self, conversation: Key | None) -> DialogueState:
        """What the conversation talks about (and its script), for a text the channel sends on its own."""
        return self.memory.get(conversation)[1]

    def ask(self, conversation: Key | None, text: str, arrived: float | None = None) -> Turn[Key]:
        """A question, as the citizen wrote it; `arrived`: time.time() when it arrived, for the answer time."""
        key, state = self.memory.get(conversation)
        started = time.perf_counter()  # the understanding alone (the conversation's look-up is not)
        answer = self.engine.answer(clean(text), state)
        return self._close(key, answer, started, arrived)

    def press(self, conversation: Key | None, intent: str, network: str | None) -> Turn[Key]:
        """A button that asks a question already understood: `intent` about `network` (none: `list`…)."""
        key, state = self.memory.get(conversation)
        answer = self.engine.answer_intent(intent, network, state)
        self.memory.remember(key, answer.state)
        return Turn(answer, key)

    def show(self, conversation: Key | None, network: str) -> DialogueState:
        """A network's card was shown: the conversation now talks about it.  Its state, to render in."""
        key, state = self.memory.get(conversation)
        self.memory.remember(key, DialogueState(network, "about", state.script, state.listed))
        return state

    def rate(self, conversation: Key, answer_id: str, helpful: bool) -> tuple[Vote, Given | None]:
        """A 👍/👎 on an answer this conversation got (by its id): counted once."""
        vote, given = self.memory.vote(conversation, answer_id)
        if vote is Vote.COUNTED and given is not None:
            self.recorder.vote(given.intent, given.network, helpful, given.question, self.channel)
        return vote, given

    def vote(self, intent: str, network: str | None, helpful: bool) -> None:
        """A 👍/👎 whose button carries what it rates (Telegram): counted; who gave it is not kept."""
        self.recorder.vote(intent, network, helpful)

    def _close(self, key: Key, answer: Answer, started: float, arrived: float | None) -> Turn[Key]:
        rateable = Given(answer.intent, answer.network, answer.question) if answer.network is not None else None
        answer_id = self.memory.remember(key, answer.state, rateable)
        self.recorder.note(answer, started, self.channel, arrived)
        return Turn(answer, key, answer_id)
