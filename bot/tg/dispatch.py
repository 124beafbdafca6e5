"""Hand updates to the handlers: in order within a chat, concurrently across chats, fairly.

Every chat has its own queue and at most one update in progress.  An update
takes one of `slots` only when its turn in its chat has come, so a chat that
sends 300 messages holds one slot while everyone else's questions go through
the others (python-telegram-bot's update processors take the slot first and
then wait for the chat).  A flooding private chat is also held to its quota.

`receive` is the one way in: it records each update in the inbox, starts
answering, and returns once the inbox is on disk, so the caller (the polling
loop, the webhook) may then let Telegram forget the batch.  An update is marked
done in the inbox when its handler has finished.  `stop` lets the replies in
progress finish and leaves everything else in the inbox for the next start.
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass

from telegram import Update
from telegram.constants import ChatType

from bot import metrics
from bot.quota import Verdict
from bot.storage.inbox import Inbox
from bot.storage.questions import TELEGRAM

log = logging.getLogger(__name__)
SAVE_WAIT_SECONDS = 2.0  # a slower disk than this counts as a fault: answering goes on from memory
Handle = Callable[[Update], Awaitable[None]]


@dataclass(frozen=True)
class Job:
    """One update for a chat's queue, and whether its chat is over the quota."""

    update: Update
    slow_down: bool = False  # over the quota: ask the chat to slow down instead of answering


class Dispatcher:
    def __init__(
        self,
        answer: Handle,
        slow_down: Handle,
        inbox: Inbox,
        admit: Callable[[int], Verdict] | None = None,
        slots: int = 16,
        max_backlog: int = 1000,
    ):
        """`admit`: the quota a private chat is held to (the door's, bot/conversation.py, which counts refusals);
        None: every update is answered."""
        self._answer = answer
        self._slow_down = slow_down
        self._inbox = inbox
        self._admit = admit
        self._slots = asyncio.Semaphore(slots)
        self._max_backlog = max_backlog
        self._queues: dict[object, deque[Job]] = {}
        self._workers: set[asyncio.Task[None]] = set()
        self._backlog = 0
        self._room = asyncio.Event()
        self._room.set()
        self._stopping = False

    async def receive(self, updates: Sequence[Update]) -> None:
        """New updates from Telegram: admit or skip each, start answering, return once the inbox holds them."""
        for update in updates:
            if not self._inbox.is_new(update.update_id):
                continue  # sent again after a restart: already answered, or already waiting
            verdict = self._verdict(update)
            if verdict is Verdict.ANSWER:
                self._inbox.admit(update.update_id, update.to_json())
                self._enqueue(Job(update))
                continue
            self._inbox.skip(update.update_id)
            if verdict is Verdict.SLOW_DOWN:
                log.warning("chat %s is over its quota; asked it to slow down, skipping its surplus", _sender(update))
                self._enqueue(Job(update, slow_down=True))
        await self._inbox.saved(SAVE_WAIT_SECONDS)

    def resume(self, updates: Sequence[Update]) -> None:
        """Updates the last run admitted but did not answer: answer them first, in order."""
        for update in updates:
            self._enqueue(Job(update))

    async def room(self) -> None:
        """Wait while `max_backlog` updates wait (Telegram keeps the rest until we fetch them)."""
        await self._room.wait()

    @property
    def backlog(self) -> int:
        return self._backlog

    async def stop(self, grace: float) -> int:
        """Finish what is in progress (cancelling it after `grace` s); return how many were left waiting."""
        self._stopping = True
        if self._workers:
            _, late = await asyncio.wait(set(self._workers), timeout=grace)
            for worker in late:
                worker.cancel()
            if late:
                log.warning("%d repl(ies) still in progress after %s s were cancelled", len(late), grace)
                await asyncio.gather(*late, return_exceptions=True)
        return sum(len(queue) for queue in self._queues.values())

    # Queues ------------------------------------------------------------------

    def _verdict(self, update: Update) -> Verdict:
        chat = update.effective_chat
        if self._admit is None or chat is None or chat.type != ChatType.PRIVATE:
            return Verdict.ANSWER
        return self._admit(chat.id)

    def _enqueue(self, job: Job) -> None:
        key = _sender(job.update) or object()  # no chat: nothing to keep in order with
        queue = self._queues.get(key)
        self._backlog += 1
        if self._backlog >= self._max_backlog:
            self._room.clear()
        if queue is not None:
            queue.append(job)
            return
        self._queues[key] = deque([job])
        worker = asyncio.create_task(self._work(key), name=f"chat {key}")
        self._workers.add(worker)
        worker.add_done_callback(self._workers.discard)

    async def _work(self, key: object) -> None:
        """Answer one chat's updates in order, taking a slot for each in turn."""
        queue = self._queues[key]
        try:
            while queue and not self._stopping:
                job = queue[0]
                async with self._slots:
                    if self._stopping:  # stopped while this chat waited for a slot: leave it in the inbox
                        break
                    await self._run(job)
                queue.popleft()
                self._backlog -= 1
                if self._backlog < self._max_backlog:
                    self._room.set()
        finally:
            if not queue:
                del self._queues[key]

    async def _run(self, job: Job) -> None:
        try:
            await (self._slow_down if job.slow_down else self._answer)(job.update)
        except Exception:  # the handlers log their own errors; this is a bug, and must not stop the chat's queue
            log.exception("update %s failed", job.update.update_id)
        if not job.slow_down:
            received_at = self._inbox.done(job.update.update_id)
            if received_at is not None:
                metrics.ANSWER_SECONDS.labels(TELEGRAM).observe(metrics.since(received_at))


def _sender(update: Update) -> int | None:
    """Whose updates must stay in order: the chat's, or the user's for an inline query (it has no chat)."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:  # inline queries have a user but no chat
        return update.effective_user.id
    return None
