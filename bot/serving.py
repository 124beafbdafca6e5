"""What every channel is given and what it must be: `Serving` (the shared parts) and the `Channel` protocol.

A channel is an adapter (bot/tg/channel.py, bot/web/channel.py): it receives in
its own way and answers through its door (bot/conversation.py).  The runner
(bot/runner.py) makes one `Serving`, hands it to each channel it serves, and
builds the one status from all of them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.conversation import Door
from bot.recording import Recorder, Stats
from bot.reloader import LiveKnowledge, Reload
from bot.settings import Settings
from bot.status import Status
from bot.storage.database import Database
from bot.storage.questions import QuestionStore


class Channel(Protocol):
    """A way citizens reach the bot."""

    @property
    def doors(self) -> Sequence[Door[Any]]:
        """Its doors (their conversations are counted in the status)."""
        ...

    def waiting(self) -> tuple[int, float]:
        """Questions received and not yet answered, and how long the oldest has waited (seconds)."""
        ...

    async def serve(self, stop: asyncio.Event) -> None:
        """Receive and answer until `stop` is set, then finish what is in progress and return."""
        ...

    async def tell(self, reload: Reload) -> None:
        """The knowledge files were reloaded (or an edit refused): tell whoever this channel tells."""
        ...


@dataclass
class Serving:
    """What the runner shares with every channel."""

    settings: Settings
    live: LiveKnowledge
    database: Database
    store: QuestionStore
    recorder: Recorder
    channels: list[Channel] = field(default_factory=list)

    @classmethod
    def create(cls, settings: Settings, live: LiveKnowledge) -> Serving:
        """The shared parts, with the database not yet opened (each channel registers its tables first)."""
        database = Database(settings.data_dir)
        store = QuestionStore(database, settings.retention_days)
        return cls(settings, live, database, store, Recorder(Stats(), store))

    @property
    def stats(self) -> Stats:
        return self.recorder.stats

    def status(self) -> Status:
        waiting = [channel.waiting() for channel in self.channels]
        return Status(
            knowledge_version=self.live.version,
            networks=len(self.live.engine.networks),
            knowledge_problem=self.live.trouble(),
            storage=self.database.health(),
            waiting=sum(count for count, _ in waiting),
            oldest_waiting=max((oldest for _, oldest in waiting), default=0.0),
            remembered=sum(len(door.memory) for channel in self.channels for door in channel.doors),
            skipped=self.stats.skipped,
        )


ChannelMaker = Callable[[Serving], Channel]
