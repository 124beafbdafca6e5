"""The dispatcher and the quota, without Telegram: order, fairness, the quota, a clean stop, back-pressure."""

from __future__ import annotations

import asyncio
import itertools
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot.quota import ChatQuota, Verdict
from bot.storage.database import Database, database_path
from bot.storage.inbox import Inbox
from bot.tg import dispatch
from bot.tg.dispatch import Dispatcher

_ids = itertools.count(1)


def update(chat: int, text: str = "Шта је СКГО?", chat_type: str = "private") -> Update:
    update_id = next(_ids)
    message = {"message_id": update_id, "date": 0, "chat": {"id": chat, "type": chat_type}, "text": text}
    parsed = Update.de_json({"update_id": update_id, "message": message}, None)
    assert parsed is not None
    return parsed


@pytest.fixture
def inbox(tmp_path: Path) -> Iterator[Inbox]:
    database = Database(tmp_path)
    inbox = Inbox(database)
    database.open()
    yield inbox
    database.close()


def chat_of(item: Update) -> int:
    assert item.effective_chat is not None
    return item.effective_chat.id


def dispatcher(
    inbox: Inbox, answer: Callable[[Update], Awaitable[None]], **options: object
) -> tuple[Dispatcher, list[Update]]:
    told: list[Update] = []

    async def slow_down(item: Update) -> None:
        told.append(item)

    return Dispatcher(answer, slow_down, inbox, **options), told  # type: ignore[arg-type]


async def settle(queue: Dispatcher) -> None:
    """Until every received update has been handled."""
    while queue.backlog:
        await asyncio.sleep(0.001)


def test_a_chat_is_answered_in_order_while_other_chats_go_on(inbox: Inbox) -> None:
    done: list[tuple[int, int]] = []

    async def scenario() -> None:
        other_answered = asyncio.Event()

        async def answer(item: Update) -> None:
            if chat_of(item) == 1 and not done:
                await other_answered.wait()  # chat 1's first reply is slow: chat 2 must not wait for it
            done.append((chat_of(item), item.update_id))
            if chat_of(item) == 2:
                other_answered.set()

        queue, _ = dispatcher(inbox, answer)
        first, second, third = update(1), update(1), update(1)
        await queue.receive([first, second, update(2), third])
        await settle(queue)

    asyncio.run(scenario())
    assert [chat for chat, _ in done] == [2, 1, 1, 1]
    assert [update_id for chat, update_id in done if chat == 1] == sorted(i for c, i in done if c == 1)
    assert inbox.undone() == []


def test_a_flooding_chat_holds_one_slot_and_the_others_go_first(inbox: Inbox) -> None:
    finished: list[int] = []

    async def scenario() -> None:
        async def answer(item: Update) -> None:
            await asyncio.sleep(0.01 if chat_of(item) == 1 else 0)
            finished.append(chat_of(item))

        queue, _ = dispatcher(inbox, answer, slots=2)
        await queue.receive([update(1) for _ in range(100)] + [update(chat) for chat in range(2, 22)])
        await settle(queue)

    asyncio.run(scenario())
    assert len(finished) == 120
    others_done = max(i for i, chat in enumerate(finished) if chat != 1)
    assert finished[: others_done + 1].count(1) <= 2  # the twenty others are answered beside the flood's first


def test_a_chat_takes_the_slot_per_message_so_a_chat_behind_it_goes_between_its_messages(inbox: Inbox) -> None:
    """One slot: the flood's first message takes it, and the other chat, already waiting for it, is answered
    before the flood's second (a chat holding the slot for its whole queue would answer all three first)."""
    answered: list[int] = []

    async def scenario() -> list[Update]:
        async def answer(item: Update) -> None:
            await asyncio.sleep(0)  # a reply awaits its send: the other chat's worker reaches the slot meanwhile
            answered.append(item.update_id)

        queue, _ = dispatcher(inbox, answer, slots=1)
        flood, other = [update(1), update(1), update(1)], update(2)
        await queue.receive([*flood, other])
        await settle(queue)
        return [flood[0], other, flood[1], flood[2]]

    expected = asyncio.run(scenario())
    assert answered == [u.update_id for u in expected]


def test_over_the_quota_a_chat_is_asked_once_to_slow_down_and_the_rest_is_skipped(inbox: Inbox) -> None:
    answered: list[Update] = []

    async def scenario() -> tuple[Dispatcher, list[Update], list[Update], list[Update]]:
        async def answer(item: Update) -> None:
            answered.append(item)

        queue, told = dispatcher(inbox, answer, quota=ChatQuota(3, clock=lambda: 100.0))
        flood = [update(1) for _ in range(10)]
        group = [update(-5, chat_type="group") for _ in range(10)]
        await queue.receive(flood + group)
        await settle(queue)
        return queue, told, flood, group

    queue, told, flood, group = asyncio.run(scenario())
    assert [u.update_id for u in answered] == [u.update_id for u in flood[:3] + group]
    assert [u.update_id for u in told] == [flood[3].update_id]
    assert (queue.counters.skipped, queue.counters.slowed) == (7, 1)
    assert not any(inbox.is_new(u.update_id) for u in flood) and inbox.undone() == []


def test_an_update_sent_again_is_not_answered_again(inbox: Inbox) -> None:
    answered: list[int] = []

    async def scenario() -> None:
        async def answer(item: Update) -> None:
            answered.append(item.update_id)

        queue, _ = dispatcher(inbox, answer)
        once = update(1)
        await queue.receive([once])
        await queue.receive([once, update(1)])
        await settle(queue)

    asyncio.run(scenario())
    assert len(answered) == 2 and len(set(answered)) == 2


def test_stop_finishes_what_is_in_progress_and_leaves_the_rest_waiting(inbox: Inbox) -> None:
    async def scenario() -> tuple[int, list[int], list[Update]]:
        answered: list[int] = []

        async def answer(item: Update) -> None:
            if chat_of(item) == 1:
                await asyncio.Event().wait()  # a reply that never completes
            await asyncio.sleep(0.05)
            answered.append(item.update_id)

        queue, _ = dispatcher(inbox, answer, slots=2)
        stuck = [update(1), update(1)]
        in_progress, behind = update(2), update(2)
        await queue.receive([*stuck, in_progress, behind])
        await asyncio.sleep(0.01)
        left = await queue.stop(grace=0.2)
        return left, answered, [stuck[0], stuck[1], behind, in_progress]

    left, answered, (stuck, stuck_behind, behind, in_progress) = asyncio.run(scenario())
    assert answered == [in_progress.update_id]
    assert left == 3
    assert [w.update_id for w in inbox.undone()] == sorted([stuck.update_id, stuck_behind.update_id, behind.update_id])


def test_fetching_waits_while_the_backlog_is_full(inbox: Inbox) -> None:
    async def scenario() -> None:
        release = asyncio.Event()

        async def answer(item: Update) -> None:
            await release.wait()

        queue, _ = dispatcher(inbox, answer, max_backlog=3)
        await queue.receive([update(chat) for chat in (1, 2, 3)])
        room = asyncio.ensure_future(queue.room())
        await asyncio.sleep(0.01)
        assert not room.done() and queue.backlog == 3
        release.set()
        await asyncio.wait_for(room, 5)
        await queue.stop(grace=5)

    asyncio.run(scenario())


def test_the_quota_refills_at_its_rate_and_asks_to_slow_down_at_most_once_a_minute() -> None:
    now = [0.0]
    quota = ChatQuota(20, clock=lambda: now[0])
    verdicts = [quota.check(7) for _ in range(25)]
    assert verdicts.count(Verdict.ANSWER) == 20
    assert verdicts[20:] == [Verdict.SLOW_DOWN] + [Verdict.SKIP] * 4
    now[0] = 3.0  # 20 a minute: one more every 3 s
    assert [quota.check(7), quota.check(7)] == [Verdict.ANSWER, Verdict.SKIP]
    now[0] = 61.0  # 58 s later: 19 messages more
    again = [quota.check(7) for _ in range(21)]
    assert again.count(Verdict.ANSWER) == 19 and again[19:] == [Verdict.SLOW_DOWN, Verdict.SKIP]
    assert quota.check(8) == Verdict.ANSWER  # other chats are not touched


def test_the_quota_forgets_chats_whose_bucket_is_full_again() -> None:
    now = [0.0]
    quota = ChatQuota(20, clock=lambda: now[0])
    for chat in range(999):
        quota.check(chat)
    now[0] = 120.0
    quota.check(5000)  # the thousandth check clears out
    assert len(quota) == 1


def test_receive_returns_only_once_the_batch_is_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller lets Telegram forget the batch when `receive` returns (polling's next offset, the webhook's 200):
    until the writer has the updates on disk, `receive` must still be waiting.  The disk is held by the test."""
    writing, disk_free = threading.Event(), threading.Event()

    class SlowDisk(sqlite3.Connection):
        def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
            if sql.lstrip().startswith("INSERT INTO inbox"):
                writing.set()
                disk_free.wait(60)  # only a safety net: the test sets it
            return super().executemany(sql, rows)

    def connect(path: Path, **options: Any) -> sqlite3.Connection:
        return sqlite3.connect(path, factory=SlowDisk, **options)

    monkeypatch.setattr(dispatch, "SAVE_WAIT_SECONDS", 60.0)  # no give-up on this slow disk within the test
    database = Database(tmp_path, connect=connect)
    inbox = Inbox(database)
    database.open()

    async def scenario() -> tuple[bool, list[tuple[int]]]:
        async def answer(item: Update) -> None:
            pass

        queue, _ = dispatcher(inbox, answer)
        arrived = update(1)
        receiving = asyncio.create_task(queue.receive([arrived]))
        await asyncio.to_thread(writing.wait, 60)  # the writer holds the batch, and the disk holds the writer
        returned_early = receiving.done()
        disk_free.set()
        await receiving
        with closing(sqlite3.connect(database_path(tmp_path))) as reader:
            on_disk = reader.execute("SELECT update_id FROM inbox WHERE update_id = ?", (arrived.update_id,)).fetchall()
        await settle(queue)
        return returned_early, on_disk

    try:
        returned_early, on_disk = asyncio.run(scenario())
    finally:
        disk_free.set()
        database.close()
    assert not returned_early, "receive returned while the batch was not yet on disk"
    assert on_disk, "receive returned, and the batch is not on disk"
