"""WEB_PROCESSES=2: two processes answer on one port, and whichever gets a turn knows the conversation.

`python -m bot web` as a subprocess: both processes do answer (each uses CPU),
every follow-up on a new connection keeps its context, a vote counts once
whichever process gets it, the quota holds across processes, a staff sign-in
holds on both, /metrics adds up both, and SIGTERM stops them all cleanly.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from tests.support.web_server import STAFF_TOKEN, WebServer, web_server


def children(server: WebServer) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == server.process.pid:
                found.append(int(entry.name))
    return found


def cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def ask(server: WebServer, question: str, conversation: str | None = None, client: str = "10.7.0.1") -> dict:
    body = {"question": question} | ({"conversation": conversation} if conversation else {})
    reply = server.request(
        "POST", "/api/ask", json.dumps(body),
        {"Content-Type": "application/json", "Connection": "close", "X-Forwarded-For": client},
    )  # fmt: skip
    assert reply.status in (200, 429), reply.text
    return reply.json | {"status": reply.status}


def test_two_processes_share_conversations_votes_quotas_sessions_and_counts() -> None:
    env = {"WEB_PROCESSES": "2", "WEB_QUOTA": "0", "WEB_TRUST_PROXY": "on", "WEB_STAFF_TOKEN": STAFF_TOKEN}
    with web_server(env) as server:
        workers = children(server)
        assert len(workers) == 2, workers
        before = {pid: cpu_ticks(pid) for pid in workers}
        kept = 0
        for _ in range(40):  # each turn on a new connection: the kernel hands it to either process
            first = ask(server, "Шта је СКГО?")
            kept += "1953" in ask(server, "А када је основан?", first["conversation"])["answer"]
        assert kept == 40
        assert all(cpu_ticks(pid) > before[pid] for pid in workers)  # both answered
        first = ask(server, "Шта је НАЛЕД?")
        rate = {"conversation": first["conversation"], "answer_id": first["answer_id"], "helpful": True}
        headers = {"Content-Type": "application/json", "Connection": "close"}
        votes = [server.request("POST", "/api/rate", json.dumps(rate), headers).status for _ in range(6)]
        assert votes.count(204) == 1 and votes.count(409) == 5, votes  # once, whoever counts
        session = server.sign_in(STAFF_TOKEN, "10.7.0.8").headers["Set-Cookie"].split(";")[0]
        pages = [server.request("GET", "/staff", headers={"Cookie": session, "Connection": "close"}) for _ in range(8)]
        assert all("Страница за особље" in page.text for page in pages)  # signed in on both
        metrics = server.request("GET", "/metrics").text
        answered = float(metrics.split('nis_questions_total{channel="web",outcome="answered"} ')[1].split()[0])
        assert answered == 81  # 40 + 40 + 1, counted by two processes, added up by either


def test_the_quota_holds_across_processes() -> None:
    with web_server({"WEB_PROCESSES": "2", "WEB_QUOTA": "5", "WEB_TRUST_PROXY": "on"}) as server:
        statuses = [ask(server, f"Шта је СКГО {n}?", client="10.8.0.1")["status"] for n in range(12)]
        assert statuses.count(200) == 5 and statuses[5:] == [429] * 7  # not 5 per process
        assert ask(server, "Шта је СКГО?", client="10.8.0.2")["status"] == 200  # another address is not held


def test_a_setting_refuses_web_processes_beside_telegram(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.support.bot_process import bot_environment

    env = bot_environment({"WEB_PROCESSES": "2", "WEB_PORT": "8099", "TELEGRAM_BOT_TOKEN": "1:x"})
    done = subprocess.run([sys.executable, "-m", "bot", "run"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2 and "WEB_PROCESSES важи за `python -m bot web`" in done.stderr


def test_a_damaged_shared_file_is_set_aside_and_made_anew(tmp_path: Path) -> None:
    from bot.engine import DialogueState
    from bot.web.shared import FILE, SharedConversations, SharedFile

    (tmp_path / FILE).write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)  # a power cut's leftovers
    conversations = SharedConversations(SharedFile(tmp_path), 60)
    conversation, _ = conversations.get(None)
    conversations.remember(conversation, DialogueState(network="skgo"))
    assert conversations.get(conversation)[1].network == "skgo"
    assert (tmp_path / (FILE + ".damaged")).exists()


def test_two_connections_see_each_others_conversations_and_count_a_vote_once(tmp_path: Path) -> None:
    """Two processes, as two connections to one file: a turn remembered by one is read by the other."""
    from bot.engine import DialogueState
    from bot.memory import Given, Vote
    from bot.web.shared import SharedConversations, SharedFile

    first, second = SharedConversations(SharedFile(tmp_path), 60), SharedConversations(SharedFile(tmp_path), 60)
    conversation, _ = first.get(None)
    answer = first.remember(conversation, DialogueState(network="naled", intent="about"), Given("about", "naled"))
    assert second.get(conversation) == (conversation, DialogueState(network="naled", intent="about"))
    assert answer is not None
    assert second.vote(conversation, answer) == (Vote.COUNTED, Given("about", "naled"))
    assert first.vote(conversation, answer)[0] is Vote.ALREADY
    assert second.vote("another", answer)[0] is Vote.UNKNOWN


def _answer_and_vote(folder: str, conversation: str, turns: int, start: object, out: object) -> None:
    """In a forked process: answer `turns` times in the shared conversation, after each voting on every answer
    it holds; what this process counted, and its turns that failed."""
    from bot.engine import DialogueState
    from bot.memory import Given, Vote
    from bot.web.shared import SharedConversations, SharedFile

    shared = SharedFile(Path(folder))
    conversations = SharedConversations(shared, 600)
    start.wait()  # type: ignore[attr-defined]
    counted, failed = [], 0
    for _ in range(turns):
        if (
            conversations.remember(conversation, DialogueState("naled", "about"), Given("about", "naled", "Шта?"))
            is None
        ):
            failed += 1
        (answers,) = shared.read("SELECT answers FROM conversation WHERE id = ?", conversation)[0]
        for answer in json.loads(answers):
            if conversations.vote(conversation, answer[0])[0] is Vote.COUNTED:
                counted.append(answer[0])
    out.put((counted, failed))  # type: ignore[attr-defined]


def test_processes_answering_and_voting_in_one_conversation_at_once_count_each_vote_once(tmp_path: Path) -> None:
    """A turn reads the conversation's answers and writes them back in one transaction: were the read outside
    it, another process's turn would write back an answer already rated as not rated, and it would count again."""
    import multiprocessing
    from collections import Counter

    from bot.web.shared import SharedConversations, SharedFile

    conversation = SharedConversations(SharedFile(tmp_path), 600).get(None)[0]
    context = multiprocessing.get_context("fork")
    start, out = context.Event(), context.Queue()
    processes = [
        context.Process(target=_answer_and_vote, args=(str(tmp_path), conversation, 400, start, out)) for _ in range(4)
    ]
    for process in processes:
        process.start()
    start.set()
    results = [out.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(30)
    assert all(process.exitcode == 0 for process in processes)
    counted = Counter(answer for answers, _ in results for answer in answers)
    assert max(counted.values()) == 1
    assert sum(failed for _, failed in results) == 0
    assert len(counted) >= 4 * 400 * 0.9  # nearly every answer was rated by someone (a few pushed out first)


def test_a_second_web_side_on_the_same_port_or_data_is_refused_and_harms_nothing(tmp_path: Path) -> None:
    import subprocess
    import sys

    from tests.support.bot_process import bot_environment

    env = {"WEB_PROCESSES": "2", "WEB_QUOTA": "0"}
    with web_server(env) as server:
        first = ask(server, "Шта је СКГО?")
        metrics_before = server.request("GET", "/metrics").text
        for data_dir in (server.data_dir, tmp_path / "other"):  # the same data folder; another on the same port
            second = subprocess.run(
                [sys.executable, "-m", "bot", "web"],
                env=bot_environment(env | {"WEB_PORT": str(server.port), "BOT_DATA_DIR": str(data_dir)}),
                capture_output=True, text=True, timeout=60,
            )  # fmt: skip
            assert second.returncode == 2, second.stderr
            assert "већ ради страница" in second.stderr or "не може да се слуша" in second.stderr
        assert len(children(server)) == 2
        follow = ask(server, "А када је основан?", first["conversation"])
        assert "1953" in follow["answer"]  # the first one still has its conversations
        after = server.request("GET", "/metrics").text
        answered = 'nis_questions_total{channel="web",outcome="answered"} '
        assert float(after.split(answered)[1].split()[0]) == float(metrics_before.split(answered)[1].split()[0]) + 1


def test_a_process_that_dies_stops_the_others_and_the_exit_code_says_so() -> None:
    import signal
    import tempfile

    from tests.support.bot_process import bot_environment, free_port, start_bot

    port = free_port()
    with tempfile.TemporaryDirectory() as data, tempfile.TemporaryFile("w+") as log:
        env = bot_environment({"WEB_PROCESSES": "2", "WEB_PORT": str(port), "BOT_DATA_DIR": data})
        process = start_bot("web", env, log)
        server = WebServer(process, port, log, Path(data))
        try:
            from tests.support.web_server import _wait_until_serving

            _wait_until_serving(server, 60)
            workers = children(server)
            assert len(workers) == 2
            os.kill(workers[0], signal.SIGKILL)
            assert process.wait(20) == 1
            assert not any(Path(f"/proc/{pid}").exists() for pid in workers[1:])
        finally:
            process.kill()


def test_the_shared_quota_refills_at_its_rate_and_no_faster(tmp_path: Path) -> None:
    from bot.quota import Verdict
    from bot.web.shared import SharedFile, SharedQuota

    now = [1000.0]
    quota = SharedQuota(SharedFile(tmp_path), 6, clock=lambda: now[0])  # one token every 10 s
    assert [quota.check("a") for _ in range(7)] == [Verdict.ANSWER] * 6 + [Verdict.SKIP]
    now[0] += 9.0
    assert quota.check("a") is Verdict.SKIP and quota.retry_after("a") >= 1
    now[0] += 1.5
    assert quota.check("a") is Verdict.ANSWER and quota.check("a") is Verdict.SKIP
    now[0] += 3600  # a long pause fills the bucket only to its size
    assert [quota.check("a") for _ in range(7)].count(Verdict.ANSWER) == 6
    now[0] -= 100  # a clock stepped back gives nothing
    assert quota.check("a") is Verdict.SKIP


def test_shared_staff_sessions_keep_neither_the_cookie_nor_the_password_hash(tmp_path: Path) -> None:
    import sqlite3

    from bot import accounts
    from bot.web.gate import Session, StaffGate
    from bot.web.shared import FILE, SharedFile, SharedSessions

    path = accounts.accounts_path(tmp_path)
    accounts.add(path, "Ана", "лозинка-за-пробу-1")
    shared = SharedFile(tmp_path)
    gate, other = (StaffGate(None, accounts=path, sessions=SharedSessions(shared, Session)) for _ in range(2))
    session = gate.open_session("Ана")
    assert other.session_name(session) == "Ана"  # signed in on the other process too
    rows = sqlite3.connect(tmp_path / FILE).execute("SELECT * FROM staff_session").fetchall()
    stored = repr(rows)
    assert session not in stored and accounts.load(path)["ана"].password_hash not in stored
    assert (tmp_path / FILE).stat().st_mode & 0o077 == 0  # the bot's user only
    accounts.change_password(path, "Ана", "нова-лозинка-за-пробу")
    assert other.session_name(session) is None  # a new password ends the session everywhere


def test_only_a_conversations_last_answers_can_be_rated_as_in_memory(tmp_path: Path) -> None:
    from bot.engine import DialogueState
    from bot.memory import ANSWERS_KEPT, Given, Vote
    from bot.web.shared import SharedConversations, SharedFile

    conversations = SharedConversations(SharedFile(tmp_path), 60)
    conversation, _ = conversations.get(None)
    ids = [conversations.remember(conversation, DialogueState(), Given("about", "skgo")) for _ in range(7)]
    assert conversations.vote(conversation, ids[0] or "")[0] is Vote.UNKNOWN  # scrolled away
    assert conversations.vote(conversation, ids[7 - ANSWERS_KEPT] or "")[0] is Vote.COUNTED


def test_shared_sessions_are_bounded_and_no_stored_value_opens_one(tmp_path: Path) -> None:
    import sqlite3

    from bot.web.gate import MAX_SESSIONS, Session, StaffGate
    from bot.web.shared import FILE, SharedFile, SharedSessions

    gate = StaffGate("a-shared-token-0123456789", sessions=SharedSessions(SharedFile(tmp_path), Session))
    first = gate.open_session()
    for _ in range(MAX_SESSIONS):
        gate.open_session()
    assert not gate.valid(first) and len(gate._sessions) == MAX_SESSIONS  # the oldest ended, one statement
    (row_id,) = sqlite3.connect(tmp_path / FILE).execute("SELECT id FROM staff_session LIMIT 1").fetchone()
    assert gate.session_name(row_id) is None and gate.session_name("#" + row_id) is None  # a copied file opens none
