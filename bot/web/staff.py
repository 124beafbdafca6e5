"""`/staff`: for city staff in a browser: the unanswered questions (as `python -m bot report`
groups them), the ratings, the counters, the knowledge version and what the last reload did.

The page exists only when WEB_STAFF_TOKEN is set (404 otherwise) and is never
shown in a frame.  The login form sets an HttpOnly, SameSite=Strict session
cookie when the token is right (bot/web/gate.py); after a wrong try the address
must wait before its next try is even checked (429 until then), and the wrong
try is logged without the token and without the address.  Every form carries
tornado's `_xsrf` token; a post without it gets 403.  These are staff texts,
like the validator's, so they live here rather than in intents/.
"""

from __future__ import annotations

import asyncio
import html
import io
import logging
import math
from http import HTTPStatus

from bot.report import group_questions, write_text
from bot.storage.questions import read_biggest_groups, read_feedback
from bot.web.base import BaseHandler, Site, content_security_policy

log = logging.getLogger("bot.web")
COOKIE = "nis_staff"
DEFAULT_DAYS = 30
SHOWN_GROUPS = 100  # the biggest groups; `python -m bot report` lists them all


class StaffHandler(BaseHandler):
    SUPPORTED_METHODS: tuple[str, ...] = ("GET", "HEAD", "POST")

    def set_default_headers(self) -> None:
        super().set_default_headers()
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Security-Policy", content_security_policy("'none'"))  # never in a frame

    def prepare(self) -> None:
        self.gate = self.site.staff_gate  # the routes exist only with WEB_STAFF_TOKEN (bot/web/server.py)

    async def get(self) -> None:
        assert self.gate is not None
        if not self.gate.valid(self.get_cookie(COOKIE)):
            self._login_form()
            return
        days = _days(self.get_query_argument("days", ""))
        report = await asyncio.to_thread(_report_text, self.site, days)
        self.write(_page("Страница за особље", _overview(self.site, days, report, self.xsrf_form_html())))

    async def post(self) -> None:
        assert self.gate is not None
        address = self.client_address()
        wait = self.gate.wait_before_try(address)
        if wait > 0:  # not even checked: a burst of guesses gets one answer a back-off interval
            self.set_status(HTTPStatus.TOO_MANY_REQUESTS)
            self.set_header("Retry-After", str(math.ceil(wait)))
            self._login_form(f"Превише погрешних покушаја. Покушајте поново за {math.ceil(wait)} s.")
            return
        if not self.gate.right_token(self.get_body_argument("token", "")):
            tries, wait = self.gate.wrong_try(address)
            if unlogged := self.gate.wrong_tries_to_log():
                log.warning(
                    "%d wrong /staff token(s) since the last such line; this address: %d in 15 min, next try in %g s",
                    unlogged,
                    tries,
                    wait,
                )
            self.set_status(HTTPStatus.FORBIDDEN)
            self._login_form("Лозинка није тачна.")
            return
        self.gate.forgive(address)
        secure = self.request.protocol == "https" or (
            self.site.settings.web_trust_proxy and self.request.headers.get("X-Forwarded-Proto") == "https"
        )
        self.set_cookie(
            COOKIE, self.gate.open_session(), path="/staff", httponly=True, samesite="Strict", secure=secure
        )
        log.info("staff signed in to /staff")
        self.redirect("/staff", status=HTTPStatus.SEE_OTHER)

    def _login_form(self, problem: str = "") -> None:
        shown = f'<p class="problem" role="alert">{html.escape(problem)}</p>' if problem else ""
        form = (
            f'{shown}<form method="post" action="/staff" class="login">{self.xsrf_form_html()}'
            '<label for="token">Лозинка (WEB_STAFF_TOKEN)</label>'
            '<input type="password" id="token" name="token" autocomplete="current-password" required autofocus>'
            '<button type="submit">Пријава</button></form>'
        )
        self.write(_page("Пријава за особље", form))


class StaffLogoutHandler(StaffHandler):
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


def _report_text(site: Site, days: float) -> str:
    """The text of `python -m bot report`, from the bot's database."""
    data_dir = site.settings.data_dir
    biggest = read_biggest_groups(data_dir, days, SHOWN_GROUPS)
    groups = group_questions(biggest.questions, biggest.counts)
    out = io.StringIO()
    write_text(out, groups, read_feedback(data_dir, days), days, (biggest.total, biggest.groups))
    return out.getvalue()


def _overview(site: Site, days: float, report: str, xsrf: str) -> str:
    live, stats = site.live, site.recorder.stats
    last = live.last_reload
    if last.ok:
        reload_line = f"исправно: верзија {last.version}" + (
            f", упозорења: {len(last.problems)}" if last.problems else ""
        )
    else:
        reload_line = f"одбијено (грешака: {len(last.problems)}); бот одговара из верзије {live.version}"
    problems = "".join(f"<li>{html.escape(str(p))}</li>" for p in last.problems)
    return (
        "<section><h2>Знање</h2><ul>"
        f"<li>верзија која одговара: <code>{html.escape(live.version)}</code>, учитана "
        f"{live.loaded_at:%Y-%m-%d %H:%M:%S} UTC, мрежа: {len(live.engine.networks)}</li>"
        f"<li>последње учитавање ({live.last_reload_at:%Y-%m-%d %H:%M:%S} UTC): {html.escape(reload_line)}</li>"
        f"</ul>{f'<ul class=problems>{problems}</ul>' if problems else ''}</section>"
        f"<section><h2>Од покретања ({stats.started_at:%Y-%m-%d %H:%M} UTC)</h2><ul>"
        f"<li>питања: {stats.questions} (са сајта: {stats.web_questions}), одговорено: {stats.answered}</li>"
        f"<li>без одговора: {stats.fallbacks}, питања назад: {stats.clarifications}</li>"
        f"<li>оцене: 👍 {stats.helpful} / 👎 {stats.unhelpful}</li></ul></section>"
        "<section><h2>Питања без одговора и оцене</h2>"
        '<form method="get" action="/staff" class="days"><label for="days">дана уназад</label>'
        f'<input type="number" id="days" name="days" min="1" max="3650" value="{days:g}">'
        '<button type="submit">Прикажи</button></form>'
        f'<pre class="report">{html.escape(report)}</pre></section>'
        f'<form method="post" action="/staff/logout">{xsrf}<button type="submit">Одјава</button></form>'
    )


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="sr-Cyrl"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<title>{title}</title><link rel="stylesheet" href="/chat.css"></head>'
        f'<body><main class="staff"><h1>{title}</h1>{body}</main></body></html>'
    )
