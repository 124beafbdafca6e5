"""`/staff`: for city staff in a browser: sign-in by name (or the shared WEB_STAFF_TOKEN), then the knowledge
version, the counters, pictures of the last weeks, the unanswered questions grouped (as `report` groups
them) each with what to do about it, the answer ratings and the history of changes.

Teaching and editing are in bot/web/staff_edits.py.  The pages exist only
with WEB_STAFF_TOKEN or an account (404 otherwise) and are never shown in a
frame.  Sign-in sets an HttpOnly, SameSite=Strict session cookie
(bot/web/gate.py); wrong tries are slowed per address and per name, and
logged without the password and the address.  Every form carries tornado's
`_xsrf` token; a post without it gets 403.  Pages are tornado templates
(bot/web/templates/), which escape every value.  These are staff texts, like
the validator's, so they live here rather than in intents/.
"""

from __future__ import annotations

import asyncio
import logging
import math
from http import HTTPStatus
from typing import Any

from bot import audit
from bot.engine import Engine
from bot.report import Group, answered_now, group_questions
from bot.storage.questions import WEB, read_biggest_groups, read_feedback
from bot.teaching import NOT_TAUGHT
from bot.web.base import BaseHandler, Site, content_security_policy
from bot.web.charts import outcome_charts

log = logging.getLogger("bot.web")
COOKIE = "nis_staff"
DEFAULT_DAYS = 30
SHOWN_GROUPS = 100  # the biggest groups; `python -m bot report` lists them all
SHOWN_HISTORY = 30


class StaffPage(BaseHandler):
    """What every staff page shares: its headers, who is signed in, and rendering a template."""

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Security-Policy", content_security_policy("'none'"))  # never in a frame

    def prepare(self) -> None:
        self.gate = self.site.staff_gate  # the routes exist only with a gate (bot/web/server.py)
        assert self.gate is not None
        self.who = self.gate.session_name(self.get_cookie(COOKIE))

    def page(self, template: str, title: str, **values: Any) -> None:
        self.render(template, title=title, who=self.who, **values)

    def login_form(self, problem: str = "", name: str = "") -> None:
        self.page("staff_login.html", "Пријава за особље", problem=problem, name=name)


class StaffHandler(StaffPage):
    SUPPORTED_METHODS: tuple[str, ...] = ("GET", "HEAD", "POST")

    async def get(self) -> None:
        if self.who is None:
            self.login_form()
            return
        days = _days(self.get_query_argument("days", ""))
        values = await asyncio.to_thread(_overview, self.site, days)
        values["charts"] = self.render_string("staff_charts.html", charts=values["charts"])  # the thread computed them
        self.page("staff_overview.html", "Страница за особље", days=f"{days:g}", **values)

    async def post(self) -> None:
        """Sign in: one checked try per back-off interval, the slow password check off the event loop."""
        assert self.gate is not None
        address, name = self.client_address(), self.get_body_argument("name", "").strip()[:200]
        wait = self.gate.start_try(address, name)
        if wait > 0:
            self.set_status(HTTPStatus.TOO_MANY_REQUESTS)
            self.set_header("Retry-After", str(math.ceil(wait)))
            self.login_form(f"Превише погрешних покушаја. Покушајте поново за {math.ceil(wait)} s.", name)
            return
        who = await asyncio.to_thread(self.gate.verify, name, self.get_body_argument("token", ""))
        if who is None:
            tries, wait = self.gate.wrong_try(address, name)
            if unlogged := self.gate.wrong_tries_to_log():
                log.warning(
                    "%d wrong /staff token(s) since the last such line; this address: %d in 15 min, next try in %g s",
                    unlogged,
                    tries,
                    wait,
                )
            self.set_status(HTTPStatus.FORBIDDEN)
            self.login_form("Име или лозинка нису тачни.", name)
            return
        self.gate.forgive(address, name)
        secure = self.request.protocol == "https" or (
            self.site.settings.web_trust_proxy and self.request.headers.get("X-Forwarded-Proto") == "https"
        )
        self.set_cookie(
            COOKIE, self.gate.open_session(who), path="/staff", httponly=True, samesite="Strict", secure=secure
        )
        log.info("staff signed in to /staff")
        self.redirect("/staff", status=HTTPStatus.SEE_OTHER)


class StaffLogoutHandler(StaffPage):
    SUPPORTED_METHODS = ("POST",)  # a link or an image cannot sign anyone out

    async def post(self) -> None:
        assert self.gate is not None
        self.gate.close(self.get_cookie(COOKIE))
        self.clear_cookie(COOKIE, path="/staff")
        self.redirect("/staff", status=HTTPStatus.SEE_OTHER)


def _days(text: str) -> float:
    try:
        days = float(text)
    except ValueError:
        return DEFAULT_DAYS
    return days if 0 < days <= 3650 else DEFAULT_DAYS


def intent_choices(engine: Engine) -> list[tuple[str, str]]:
    """(intent, how staff read it) for the teach form: the intent's own suggested question where it has one."""
    choices = []
    for intent, response in engine.responses.items():
        if intent in NOT_TAUGHT:
            continue
        asked = (response.question or "").replace("{name}", "…").replace("{short}", "…")
        label = "није наша тема" if intent == "fallback" else f"{intent}: {asked}" if asked else intent
        choices.append((intent, label))
    return choices


def _overview(site: Site, days: float) -> dict[str, Any]:
    """Everything the overview shows, read from the database and the live engine (in a thread)."""
    data_dir, live = site.settings.data_dir, site.live
    engine = live.engine
    biggest = read_biggest_groups(data_dir, days, SHOWN_GROUPS)
    groups = group_questions(biggest.questions, biggest.counts)
    last = live.last_reload
    if last.ok:
        reload_line = f"исправно: верзија {last.version}" + (
            f", упозорења: {len(last.problems)}" if last.problems else ""
        )
    else:
        reload_line = f"одбијено (грешака: {len(last.problems)}); бот одговара из верзије {live.version}"
    shown = f"приказане су највеће групе ({len(groups)})" if biggest.groups > len(groups) else ""
    summary = f"Питања без одговора: {biggest.total}, у {biggest.groups} група{'; ' + shown if shown else ''}."
    return {
        "live": live,
        "stats": site.recorder.stats,
        "web_questions": site.recorder.stats.by_channel[WEB],
        "reload_line": reload_line,
        "charts": outcome_charts(data_dir, days),
        "groups": [(group, answered_now(engine, group)) for group in groups],
        "summary": summary,
        "guess": _guess,
        "fact_anchor": lambda intent: f"#t-{fact}" if (fact := _fact_of(engine, intent)) else "",
        "intents": intent_choices(engine),
        "networks": list(engine.networks.values()),
        "names": {network.id: network.name for network in engine.networks.values()},
        "feedback": read_feedback(data_dir, days),
        "history": audit.read(data_dir, SHOWN_HISTORY),
    }


def _fact_of(engine: Engine, intent: str) -> str | None:
    response = engine.responses.get(intent)
    return response.fact if response else None


def _guess(group: Group) -> tuple[str, str]:
    """The intent and network the bot thought most likely for the group, to preselect in its form."""
    intent, _, network = group.guess().partition(" / ")
    return (intent if intent != "—" else "", network)
