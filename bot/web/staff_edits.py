"""`/staff/teach` and `/staff/network`: staff teach the bot what a question meant, and edit a network's names
and facts (or add a network), seeing first the answer a citizen would get in both scripts and every other
answer the change would make different (bot/editing.py).

A save names the version its preview was made on: when someone saved in
between, it is refused with who changed what, and the edit stays on the screen.
A save that would make answers worse needs the box "I have looked" ticked.
After a save the running bot loads the files at once, so the next citizen gets
the new answer.
"""

from __future__ import annotations

import asyncio
import fcntl
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from http import HTTPStatus
from pathlib import Path
from typing import Any, TypeVar

from bot import roundtrip
from bot.dialogue import DialogueState
from bot.drafts import Conflict
from bot.editing import Edit, Files, Outcome, changes_since, try_edit
from bot.engine import Answer, Engine
from bot.knowledge_edits import LIST_FIELDS, TEXT_FIELDS, VALUE_FIELDS, NetworkEdit
from bot.preview import HEADINGS, KINDS, SCRIPT_NAMES, answer_in_both_scripts, readable, same_reading
from bot.script import Script
from bot.teaching import OUT_OF_SCOPE, Teach
from bot.versions import content_version
from bot.web.staff import StaffPage

SHOWN_PER_KIND = 30
FIELD_LABELS = {
    "id": "id (мала латинична слова, цифре и цртице)",
    "name": "име на српском",
    "original_name": "изворно име",
    "english_name": "име на енглеском",
    "acronym": "скраћеница",
    "aliases": "друга имена (једно по реду)",
    "former_names": "ранија имена (једно по реду)",
    "website": "сајт",
    "scope": "обухват (international или national)",
    "joined_year": "година приступања Ниша",
    "founded_year": "година оснивања",
    "seat_city": "град седишта",
    "seat_country": "земља седишта",
    "members": "број чланова",
    "topics": "теме (једна по реду)",
    "sources": "извори мреже (адресе, једна по реду; прва важи за чињенице без свог извора)",
}
T = TypeVar("T")
_LINE = re.compile(r"networks\.yaml:(\d+):")
PREVIEW_LOCK = ".staff-preview.lock"
MAX_WAITING_EDITS = 3  # previews and saves queued at once; more get 503: each costs seconds of every core


class EditQueue:
    """Previews and saves run one at a time, in a thread of their own, and across the web processes (a lock
    file in the data folder): each asks thousands of questions on every core, so two at once would only both
    be slower, and the default pool stays free for sign-ins and reloads (the attacker's finding: 18 previews
    at once held a sign-in for 146 s)."""

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="staff-edit")
        self.waiting = 0

    async def run(self, data_dir: Path, function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        self.waiting += 1
        try:
            work = partial(_one_at_a_time, data_dir, partial(function, *args, **kwargs))
            return await asyncio.get_running_loop().run_in_executor(self._pool, work)
        finally:
            self.waiting -= 1


def _one_at_a_time(data_dir: Path, work: Callable[[], T]) -> T:
    data_dir.mkdir(parents=True, exist_ok=True)
    with (data_dir / PREVIEW_LOCK).open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            return work()
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


EDITS = EditQueue()


class EditPage(StaffPage):
    """A staff page that changes the files: signed-in only, and saves through `try_edit`."""

    SUPPORTED_METHODS: tuple[str, ...] = ("GET", "POST")

    def prepare(self) -> None:
        super().prepare()
        if self.who is None:
            self.set_status(HTTPStatus.FORBIDDEN)
            self.login_form("Пријавите се поново (сесија је истекла).")  # renders: the request ends here

    @property
    def files(self) -> Files:
        return Files.of(self.site.settings)

    async def attempt(self, edit: Edit, save: bool) -> tuple[Outcome | None, list[str], str]:
        """Try (and with `save`, save) `edit`; the outcome, the problems to show, and the version to base on."""
        based_on = self.get_body_argument("based_on", "") or None
        if save and based_on is None:  # a save names what it was made on, or it could undo someone else's
            self.set_status(HTTPStatus.BAD_REQUEST)
            return None, ["Чување мора да наведе верзију на којој је измена направљена: прегледајте је поново."], ""
        if EDITS.waiting >= MAX_WAITING_EDITS:
            self.set_status(HTTPStatus.SERVICE_UNAVAILABLE)
            self.set_header("Retry-After", "30")
            return None, ["Бот управо прегледа друге измене; покушајте поново за пола минута."], based_on or ""
        confirmed = self.get_body_argument("confirmed", "") == "yes"
        previewed = self.get_body_argument("previewed", "")  # "" never matches: a save comes from a preview
        try:
            outcome = await EDITS.run(
                self.site.settings.data_dir,
                try_edit,
                self.files,
                edit,
                based_on=based_on if save else None,
                save=save,
                confirmed=confirmed,
                previewed=previewed,
                who=self.who or "",
            )
        except Conflict as conflict:
            self.set_status(HTTPStatus.CONFLICT)
            outcome = await EDITS.run(
                self.site.settings.data_dir, try_edit, self.files, edit
            )  # a fresh preview on the new version
            return (
                outcome,
                [changes_since(self.files, conflict.based_on) + " Прегледајте поново и сачувајте."],
                (outcome.based_on),
            )
        except OSError as error:
            return None, [f"Измена није уписана: датотеке не могу да се упишу ({error})."], based_on or ""
        problems = list(outcome.problems)
        if save and outcome.saved_as is None and not problems:
            problems.append("Није сачувано: ова измена мења одговоре означене са ⚠. Прегледајте их и потврдите.")
        if outcome.saved_as:
            await asyncio.to_thread(self.site.live.reload)  # the next citizen gets the new answer
        return outcome, problems, outcome.based_on

    def common(self, outcome: Outcome | None) -> dict[str, Any]:
        engine = outcome.after if outcome and outcome.after else self.site.live.engine
        return {
            "kinds": KINDS,
            "headings": HEADINGS,
            "shown": SHOWN_PER_KIND,
            "readable": partial(readable, engine),
            "same": same_reading,
        }


class TeachHandler(EditPage):
    SUPPORTED_METHODS = ("POST",)

    async def post(self) -> None:
        action = self.get_body_argument("action", "preview")
        out_of_scope = action == "out_of_scope"
        lesson = Teach.of(
            self.get_body_argument("question", ""),
            OUT_OF_SCOPE if out_of_scope else self.get_body_argument("intent", ""),
            None if out_of_scope else self.get_body_argument("network", ""),
        )
        outcome, problems, based_on = await self.attempt(lesson, save=action == "save")
        answers: tuple[Answer, ...] = ()
        if outcome is not None and outcome.after is not None and not outcome.saved_as:
            answers = answer_in_both_scripts(outcome.after, lesson.question)
        self.page(
            "staff_teach.html",
            "Научите бота",
            lesson=lesson,
            problems=problems,
            answers=answers,
            script_names=SCRIPT_NAMES,
            preview=outcome.preview if outcome else None,
            can_save=outcome is not None and outcome.after is not None,
            based_on=based_on,
            previewed=outcome.edited_version if outcome else "",
            saved=outcome.saved_as if outcome else None,
            **self.common(outcome),
        )


class NetworkHandler(EditPage):
    async def get(self) -> None:
        network_id = self.get_query_argument("id", "")
        new = bool(self.get_query_argument("new", ""))
        values = {} if new else await asyncio.to_thread(_form_values, self.site.settings.knowledge, network_id)
        if values is None or (not new and not network_id):
            self._render(choose=True)
            return
        based_on = content_version(self.site.settings.knowledge, self.site.settings.intents)
        self._render(values=values, new=new, based_on=based_on)

    async def post(self) -> None:
        action = self.get_body_argument("action", "preview")
        new = bool(self.get_body_argument("new", ""))
        values = {key: self.get_body_argument(key, "") for key, _, _ in _name_fields()}
        facts = {}
        for key, _ in self._fact_fields():
            text = self.get_body_argument(f"fact_{key}_text", "")
            source = self.get_body_argument(f"fact_{key}_source", "")
            values[f"fact_{key}_text"], values[f"fact_{key}_source"] = text, source
            facts[key] = (text, source)
        network_id = values.pop("id", "").strip()
        edit = NetworkEdit(network_id, fields=values, facts=facts, new=new)
        values["id"] = network_id
        outcome, problems, based_on = await self.attempt(edit, save=action == "save")
        field_problems: dict[str, str] = {}
        warnings = outcome.warnings if outcome else []
        for problem in [*problems, *warnings]:
            match = _LINE.search(problem)
            at = edit.field_at(int(match.group(1))) if match else None
            if at:
                field_problems.setdefault(at, problem.split(": ", 2)[-1])
        answers = _answers(outcome.after, edit) if outcome and outcome.after and not outcome.saved_as else []
        self._render(
            outcome,
            values=values,
            new=new and not (outcome and outcome.saved_as),
            based_on=based_on,
            problems=problems,
            warnings=warnings,
            field_problems=field_problems,
            preview=outcome.preview if outcome else None,
            answers=answers,
            can_save=bool(outcome and outcome.after is not None),
            saved=outcome.saved_as if outcome else None,
            previewed=outcome.edited_version if outcome else "",
            described=edit.describe(),
        )

    def _fact_fields(self) -> list[tuple[str, str]]:
        responses = self.site.live.engine.responses
        return [(r.fact, f"{r.fact} ({r.intent})") for r in responses.values() if r.fact]

    def _render(self, outcome: Outcome | None = None, **values: Any) -> None:
        defaults: dict[str, Any] = {
            "choose": False,
            "values": {},
            "new": False,
            "based_on": "",
            "problems": [],
            "warnings": [],
            "field_problems": {},
            "preview": None,
            "answers": [],
            "can_save": False,
            "saved": None,
            "described": "",
            "previewed": "",
        }
        title = "Мреже и чињенице"
        self.page(
            "staff_network.html",
            title,
            networks=list(self.site.live.engine.networks.values()),
            name_fields=_name_fields(),
            fact_fields=self._fact_fields(),
            **(defaults | values),
            **self.common(outcome),
        )


def _name_fields() -> list[tuple[str, str, bool]]:
    keys = ("id", *TEXT_FIELDS, *LIST_FIELDS, *VALUE_FIELDS)
    return [(key, FIELD_LABELS.get(key, key), key in LIST_FIELDS) for key in dict.fromkeys(keys)]


def _form_values(knowledge: Any, network_id: str) -> dict[str, str] | None:
    """The network's fields as written in the file (a fact without its own source shows an empty source)."""
    document = roundtrip.read(knowledge)
    entry = next((n for n in document.get("networks") or [] if isinstance(n, dict) and n.get("id") == network_id), None)
    if entry is None:
        return None
    values = {"id": network_id}
    for key in (*TEXT_FIELDS, *VALUE_FIELDS):
        values[key] = "" if entry.get(key) is None else str(entry[key])
    for key in LIST_FIELDS:
        values[key] = "\n".join(str(item) for item in entry.get(key) or [])
    for key, fact in (entry.get("facts") or {}).items():
        text, source = (fact.get("text"), fact.get("source")) if isinstance(fact, dict) else (fact, None)
        values[f"fact_{key}_text"] = " ".join(str(text or "").split())
        values[f"fact_{key}_source"] = str(source or "")
    return values


def _answers(engine: Engine, edit: NetworkEdit) -> list[tuple[str, Answer]]:
    """For each changed fact (or for the network itself when its names changed): the question and its answer,
    in Cyrillic and in Latin."""
    network = engine.networks.get(edit.network_id)
    if network is None:
        return []
    facts = [key for key in edit.changed if key in edit.facts] or ["about"]
    intents = [r.intent for r in engine.responses.values() if r.fact in facts]
    shown = []
    for intent in intents:
        for script in (Script.CYRILLIC, Script.LATIN):
            answer = engine.answer_intent(intent, network.id, DialogueState(script=script))
            shown.append((f"{engine.renderer.question(intent, network)} ({SCRIPT_NAMES[script]})", answer))
    return shown
