"""The dispatcher and the quota, without Telegram: order, fairness, the quota, a clean stop, back-pressure."""

from __future__ import annotations

import asyncio
import gc
import itertools
import sqlite3
import threading
from collections.abc import Awaitable, Callable, Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from telegram import Update

from bot import metrics
from bot.conversation import Door
from bot.quota import ChatQuota, Verdict
from bot.recording import TELEGRAM, Recorder, Stats
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

        loop = asyncio.get_running_loop()
        loop.set_exception_handler(lambda _, context: problems.append(context["message"]))
        queue, _ = dispatcher(inbox, answer)
        first, second, third = update(1), update(1), update(1)
        await queue.receive([first, second, update(2), third])
        await settle(queue)
        for _ in range(3):  # the finished workers' callbacks run
            await asyncio.sleep(0)
        gc.collect()  # a worker that ended with an error nobody retrieved is reported now

    problems: list[str] = []
    asyncio.run(scenario())
    assert problems == []
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


def over_quota_count() -> float:
    labels = {"channel": "telegram", "outcome": "over_quota"}
    return metrics.REGISTRY.get_sample_value("nis_questions_total", labels) or 0


def test_over_the_quota_a_chat_is_asked_once_to_slow_down_and_the_rest_is_skipped(
    inbox: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    answered: list[Update] = []
    recorder = Recorder(Stats(), None)
    counted_before = over_quota_count()

    async def scenario() -> tuple[Dispatcher, list[Update], list[Update], list[Update], list[Update], Update]:
        async def answer(item: Update) -> None:
            answered.append(item)

        door: Door[int] = Door(TELEGRAM, None, None, recorder, ChatQuota(3, clock=lambda: 100.0))  # type: ignore[arg-type]
        queue, told = dispatcher(inbox, answer, admit=door.admit)
        flood, second = [update(1) for _ in range(10)], [update(2) for _ in range(4)]
        group = [update(-5, chat_type="group") for _ in range(10)]
        calm = update(3)
        await queue.receive(flood + second + group + [calm])
        await settle(queue)
        return queue, told, flood, second, group, calm

    _, told, flood, second, group, calm = asyncio.run(scenario())
    assert [u.update_id for u in answered] == [u.update_id for u in flood[:3] + second[:3] + group + [calm]]
    assert [u.update_id for u in told] == [flood[3].update_id, second[3].update_id]
    counted = recorder.stats.over_quota_of(TELEGRAM)  # counted by the door (bot/conversation.py)
    assert (counted.skipped, counted.slowed) == (8, 2)
    assert over_quota_count() - counted_before == 8
    assert not any(inbox.is_new(u.update_id) for u in flood) and inbox.undone() == []
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warned == [f"chat {chat} is over its quota; asked it to slow down, skipping its surplus" for chat in (1, 2)]


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


def test_stop_finishes_what_is_in_progress_and_leaves_the_rest_waiting(
    inbox: Inbox, caplog: pytest.LogCaptureFixture
) -> None:
    cancelled: list[int] = []

    async def scenario() -> tuple[int, list[int], list[Update]]:
        answered: list[int] = []
        in_progress_started = asyncio.Event()

        async def answer(item: Update) -> None:
            if chat_of(item) == 1:
                try:
                    await asyncio.Event().wait()  # a reply that never completes
                finally:
                    cancelled.append(item.update_id)
            in_progress_started.set()
            await asyncio.sleep(0.05)
            answered.append(item.update_id)

        queue, _ = dispatcher(inbox, answer, slots=2)
        stuck = [update(1), update(1)]
        in_progress, behind = update(2), update(2)
        await queue.receive([*stuck, in_progress, behind])
        await in_progress_started.wait()
        left = await queue.stop(grace=0.2)
        assert cancelled == [stuck[0].update_id]  # the cancelled reply has ended when stop returns
        return left, answered, [stuck[0], stuck[1], behind, in_progress]

    left, answered, (stuck, stuck_behind, behind, in_progress) = asyncio.run(scenario())
    assert answered == [in_progress.update_id]
    assert left == 3
    warned = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert warned == ["1 repl(ies) still in progress after 0.2 s were cancelled"]
    assert [w.update_id for w in inbox.undone()] == sorted([stuck.update_id, stuck_behind.update_id, behind.update_id])


def test_fetching_waits_while_the_backlog_is_full(inbox: Inbox) -> None:
    async def scenario() -> None:
        releases = {chat: asyncio.Event() for chat in (1, 2, 3, 4)}

        async def answer(item: Update) -> None:
            await releases[chat_of(item)].wait()

        async def has_room() -> bool:
            room = asyncio.ensure_future(queue.room())
            for _ in range(3):
                await asyncio.sleep(0)
            room.cancel()
            return room.done() and not room.cancelled()

        queue, _ = dispatcher(inbox, answer, max_backlog=3)
        await queue.receive([update(chat) for chat in (1, 2)])
        assert await has_room()
        await queue.receive([update(chat) for chat in (3, 4)])  # a batch may go past the limit
        assert not await has_room() and queue.backlog == 4
        releases[1].set()
        assert not await has_room() and queue.backlog == 3  # three still wait: the limit
        releases[2].set()
        assert await has_room() and queue.backlog == 2
        for release in releases.values():
            release.set()
        await queue.stop(grace=5)

    asyncio.run(scenario())


def test_a_failing_reply_is_logged_and_the_chat_goes_on(inbox: Inbox, caplog: pytest.LogCaptureFixture) -> None:
    answered: list[int] = []

    async def scenario() -> list[Update]:
        async def answer(item: Update) -> None:
            if not answered:
                answered.append(0)
                raise RuntimeError("a bug in a handler")
            answered.append(item.update_id)

        queue, _ = dispatcher(inbox, answer)
        both = [update(1), update(1)]
        await queue.receive(both)
        await settle(queue)
        return both

    failing, next_one = asyncio.run(scenario())
    assert answered == [0, next_one.update_id] and inbox.undone() == []
    (logged,) = [r for r in caplog.records if r.levelname == "ERROR"]
    assert logged.getMessage() == f"update {failing.update_id} failed" and logged.exc_info is not None


def test_each_answer_is_timed_from_its_arrival(inbox: Inbox) -> None:
    def timed() -> float:
        return metrics.REGISTRY.get_sample_value("nis_answer_seconds_count", {"channel": "telegram"}) or 0

    before = timed()

    async def scenario() -> None:
        async def answer(item: Update) -> None:
            pass

        door: Door[int] = Door(TELEGRAM, None, None, Recorder(Stats(), None), ChatQuota(1, clock=lambda: 0.0))  # type: ignore[arg-type]
        queue, _ = dispatcher(inbox, answer, admit=door.admit)
        await queue.receive([update(1), update(1), update(2)])  # chat 1's second is asked to slow down: no answer
        await settle(queue)

    asyncio.run(scenario())
    assert timed() - before == 2


def inline_query(user: int, query: str) -> Update:
    update_id = next(_ids)
    sender = {"id": user, "is_bot": False, "first_name": "Марија"}
    inline = {"id": str(update_id), "from": sender, "query": query, "offset": ""}
    parsed = Update.de_json({"update_id": update_id, "inline_query": inline}, None)
    assert parsed is not None
    return parsed


def test_one_users_inline_queries_are_answered_in_order(inbox: Inbox) -> None:
    answered: list[str] = []

    async def scenario() -> None:
        async def answer(item: Update) -> None:
            assert item.inline_query is not None
            if item.inline_query.query == "НАЛ":
                for _ in range(5):
                    await asyncio.sleep(0)  # the first keystroke's answer takes a while
            answered.append(item.inline_query.query)

        queue, _ = dispatcher(inbox, answer)
        await queue.receive([inline_query(5, "НАЛ"), inline_query(5, "НАЛЕД")])
        await settle(queue)

    asyncio.run(scenario())
    assert answered == ["НАЛ", "НАЛЕД"]


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


class SlowDisk:
    """A database whose inbox writes wait until the test frees the disk (`free`); `writing` is set meanwhile."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.writing, self.disk_free = threading.Event(), threading.Event()
        writing, disk_free = self.writing, self.disk_free

        class Connection(sqlite3.Connection):
            def executemany(self, sql: str, rows: Any) -> sqlite3.Cursor:
                if sql.lstrip().startswith("INSERT INTO inbox"):
                    writing.set()
                    disk_free.wait(60)  # only a safety net: the test sets it
                return super().executemany(sql, rows)

        def connect(path: Path, **options: Any) -> sqlite3.Connection:
            return sqlite3.connect(path, factory=Connection, **options)

        self.database = Database(folder, connect=connect)
        self.inbox = Inbox(self.database)

    def on_disk(self, update_id: int) -> bool:
        with closing(sqlite3.connect(database_path(self.folder))) as reader:
            return bool(reader.execute("SELECT 1 FROM inbox WHERE update_id = ?", (update_id,)).fetchall())


@pytest.fixture
def slow_disk(tmp_path: Path) -> Iterator[SlowDisk]:
    disk = SlowDisk(tmp_path)
    disk.database.open()
    yield disk
    disk.disk_free.set()
    disk.database.close()


def test_receive_returns_only_once_the_batch_is_on_disk(slow_disk: SlowDisk, monkeypatch: pytest.MonkeyPatch) -> None:
    """The caller lets Telegram forget the batch when `receive` returns (polling's next offset, the webhook's 200):
    until the writer has the updates on disk, `receive` must still be waiting.  The disk is held by the test."""
    monkeypatch.setattr(dispatch, "SAVE_WAIT_SECONDS", 60.0)  # no give-up on this slow disk within the test

    async def scenario() -> tuple[bool, bool]:
        async def answer(item: Update) -> None:
            pass

        queue, _ = dispatcher(slow_disk.inbox, answer)
        arrived = update(1)
        receiving = asyncio.create_task(queue.receive([arrived]))
        await asyncio.to_thread(slow_disk.writing.wait, 60)  # the writer holds the batch, the disk the writer
        returned_early = receiving.done()
        slow_disk.disk_free.set()
        await receiving
        on_disk = slow_disk.on_disk(arrived.update_id)
        await settle(queue)
        return returned_early, on_disk

    returned_early, on_disk = asyncio.run(scenario())
    assert not returned_early, "receive returned while the batch was not yet on disk"
    assert on_disk, "receive returned, and the batch is not on disk"


def test_a_disk_slower_than_the_wait_holds_neither_receive_nor_the_answers(
    slow_disk: SlowDisk, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A storage fault must not stop the bot: past SAVE_WAIT_SECONDS `receive` returns and answering goes on from
    memory, while the disk is still held (set short here; the disk is freed only after the answer)."""
    monkeypatch.setattr(dispatch, "SAVE_WAIT_SECONDS", 0.01)

    async def scenario() -> list[int]:
        answered: list[int] = []

        async def answer(item: Update) -> None:
            answered.append(item.update_id)

        queue, _ = dispatcher(slow_disk.inbox, answer)
        arrived = update(1)
        await asyncio.wait_for(queue.receive([arrived]), 60)  # the safety net only: it returns after 0.01 s
        await settle(queue)
        assert not slow_disk.disk_free.is_set()
        return answered

    assert len(asyncio.run(scenario())) == 1


def test_an_update_waits_in_the_inbox_as_telegram_sent_it_until_it_is_answered(inbox: Inbox) -> None:
    async def scenario() -> None:
        release = asyncio.Event()

        async def answer(item: Update) -> None:
            await release.wait()

        queue, _ = dispatcher(inbox, answer)
        arrived = update(1, "Где је седиште НАЛЕД-а?")
        await queue.receive([arrived])
        (waiting,) = inbox.undone()
        assert (waiting.update_id, waiting.body) == (arrived.update_id, arrived.to_json())
        release.set()
        await settle(queue)
        assert inbox.undone() == []

    asyncio.run(scenario())


def test_what_the_last_run_did_not_answer_is_answered_first_in_order(inbox: Inbox) -> None:
    answered: list[int] = []

    async def scenario() -> list[int]:
        async def answer(item: Update) -> None:
            answered.append(item.update_id)

        queue, _ = dispatcher(inbox, answer)
        left = [update(1), update(1)]
        for item in left:  # admitted by the last run, which stopped before answering them
            inbox.admit(item.update_id, item.to_json())
        queue.resume(left)
        new = update(1)
        await queue.receive([new])
        await settle(queue)
        return [*(u.update_id for u in left), new.update_id]

    assert answered == asyncio.run(scenario())
    assert inbox.undone() == []


def test_by_default_sixteen_are_answered_at_once_and_fetching_stops_at_a_thousand_waiting(inbox: Inbox) -> None:
    async def scenario() -> None:
        release, started = asyncio.Event(), []

        async def answer(item: Update) -> None:
            started.append(item.update_id)
            await release.wait()

        queue, _ = dispatcher(inbox, answer)
        await queue.receive([update(chat) for chat in range(1, 1000)])
        await asyncio.sleep(0)
        assert len(started) == 16
        room = asyncio.ensure_future(queue.room())
        await asyncio.sleep(0)
        assert room.done()  # 999 wait: fetch more
        await queue.receive([update(1000)])
        room = asyncio.ensure_future(queue.room())
        await asyncio.sleep(0)
        assert not room.done() and queue.backlog == 1000
        release.set()
        await asyncio.wait_for(room, 60)
        await settle(queue)

    asyncio.run(scenario())


def test_the_sweep_comes_every_thousandth_check_and_keeps_what_a_chat_is_owed() -> None:
    """Clearing out refilled buckets is for memory only: a chat over its quota, or told to slow down within the
    minute, is held exactly as before the sweep."""
    now = [100.0]
    quota = ChatQuota(20, clock=lambda: now[0])  # one token more every 3 s
    verdicts = [quota.check(7) for _ in range(21)]  # chat 7 has used its twenty and is told to slow down
    assert verdicts[-1] == Verdict.SLOW_DOWN
    for chat in range(477):
        quota.check(10_000 + chat)  # 498 checks so far, each taking one of twenty tokens
    now[0] += 3  # their buckets are full again
    for chat in range(501):
        quota.check(20_000 + chat)  # 999 checks: no sweep yet, whatever refilled
    assert len(quota) == 1 + 477 + 501
    assert quota.check(7) == Verdict.ANSWER  # the thousandth check sweeps; chat 7 has earned one token
    assert len(quota) == 1 + 501  # chat 7, and the chats a token short
    assert quota.check(7) == Verdict.SKIP  # still over, and told to slow down 3 s ago: neither is forgotten
