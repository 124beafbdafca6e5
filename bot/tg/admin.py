"""What the city staff who run the bot get in Telegram: reload, counters, and word of bad edits.

Admins are the user ids in BOT_ADMIN_IDS.  `/reload` and `/stats` answer only
them; for anyone else the commands are ordinary text, so nothing reveals they
exist.  The file watcher reloads edited knowledge by itself and tells the admins
what happened: the new version, or the validation messages and that the bot
keeps answering from the last good version.  These are staff-facing operational
messages, like the validator's, so they live here rather than in `intents/`.
"""

from __future__ import annotations

import asyncio
import html
import logging
from collections.abc import Callable, Iterable

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.recording import TELEGRAM, WEB, Stats
from bot.reloader import MAX_PROBLEMS_LOGGED, LiveKnowledge, Reload, log_reload
from bot.status import Status

log = logging.getLogger(__name__)
MAX_PROBLEMS_SHOWN = MAX_PROBLEMS_LOGGED


def reload_report(result: Reload, live: LiveKnowledge, automatic: bool) -> str:
    """The admins' message about a reload, in HTML."""
    if result.ok:
        networks = len(live.engine.networks)
        lead = "Измене су учитане" if automatic else "Знање је поново учитано"
        text = f"✅ {lead}: верзија <code>{result.version}</code>, мрежа: {networks}."
        if result.problems:
            text += f"\nУпозорења ({len(result.problems)}):\n" + _problem_lines(result.problems)
        return text
    return (
        f"⚠️ Измена датотека није учитана (грешака: {len(result.problems)}). Бот и даље одговара "
        f"из последње исправне верзије <code>{live.version}</code>.\n"
        + _problem_lines(result.problems)
        + "\nИсправите грешке и сачувајте датотеку; провера: <code>python -m bot validate</code>"
    )


def start_report(live: LiveKnowledge) -> str | None:
    """The admins' message when the bot started from a kept version because the files on disk are broken."""
    if live.rejected is None:
        return None
    return (
        f"⚠️ Бот је покренут, али датотеке на диску имају грешке ({len(live.rejected.problems)}), па одговара из "
        f"последње исправне верзије <code>{live.version}</code> (учитане {live.loaded_at:%Y-%m-%d %H:%M} UTC).\n"
        + _problem_lines(live.rejected.problems)
        + "\nИсправите грешке и сачувајте датотеку (бот је учитава сам), или вратите исправну верзију: "
        f"<code>python -m bot restore {live.version}</code>"
    )


def knowledge_line(live: LiveKnowledge) -> str:
    """The /stats line about the knowledge: which version answers, and whether the files on disk are broken."""
    line = (
        f"знање: верзија <code>{live.version}</code>, учитано {live.loaded_at:%Y-%m-%d %H:%M:%S} UTC, "
        f"мрежа: {len(live.engine.networks)}"
    )
    if live.rejected is not None:
        line += (
            f"\n⚠️ датотеке на диску (верзија <code>{live.rejected.version}</code>) имају грешака: "
            f"{len(live.rejected.problems)}; бот одговара из верзије <code>{live.version}</code>"
            + (", сачуване пре поновног покретања" if live.from_kept_version else "")
        )
    return line


def stats_report(stats: Stats, live: LiveKnowledge, status: Status) -> str:
    storage, telegram = status.storage, stats.over_quota_of(TELEGRAM)
    if storage.ok:
        database = "база: у реду"
    else:
        since = f"{storage.since:%Y-%m-%d %H:%M} UTC" if storage.since else "?"
        database = (
            f"⚠️ база: уписивање не успева од {since} ({html.escape(storage.problem or '')}); "
            f"чека уписивање: {storage.unsaved}. Бот одговара из меморије и уписаће све чим база проради."
        )
    return "\n".join(
        [
            f"📊 Од покретања ({stats.started_at:%Y-%m-%d %H:%M} UTC):",
            f"питања: {stats.questions}, одговорено: {stats.answered}; са сајта: {stats.by_channel[WEB]}",
            f"без одговора (fallback): {stats.fallbacks}",
            f"питања назад (clarify): {stats.clarifications}",
            f"оцене: 👍 {stats.helpful} / 👎 {stats.unhelpful}",
            f"прескочено преко квоте: {telegram.skipped} (замољено да успори: {telegram.slowed}); "
            f"на сајту одбијено преко квоте: {stats.over_quota_of(WEB).skipped}",
            f"чека одговор: {status.waiting}, разговора у памћењу: {status.remembered}",
            database,
            knowledge_line(live),
        ]
    )


def _problem_lines(problems: Iterable[object]) -> str:
    shown = list(problems)
    lines = [f"• {html.escape(str(p))}" for p in shown[:MAX_PROBLEMS_SHOWN]]
    if len(shown) > MAX_PROBLEMS_SHOWN:
        lines.append(f"… и још {len(shown) - MAX_PROBLEMS_SHOWN}")
    return "\n".join(lines)


class Admin:
    def __init__(self, live: LiveKnowledge, stats: Stats, admin_ids: frozenset[int], status: Callable[[], Status]):
        self.live = live
        self.stats = stats
        self.admin_ids = admin_ids
        self.status = status

    async def reload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is None:
            return
        result = await asyncio.to_thread(self.live.reload)
        log_reload(result)
        await update.effective_message.reply_html(reload_report(result, self.live, automatic=False))

    async def show_stats(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if update.effective_message is not None:
            await update.effective_message.reply_html(stats_report(self.stats, self.live, self.status()))

    async def tell_reload(self, bot: Bot, result: Reload) -> None:
        """An edit the runner's watcher reloaded (or refused): tell the admins (bot/tg/channel.py)."""
        await self.tell_admins(bot, reload_report(result, self.live, True))

    async def announce_start(self, bot: Bot) -> None:
        """At start: log and tell the admins when the bot answers from a kept version."""
        report = start_report(self.live)
        if report is not None and self.live.rejected is not None:
            details = "; ".join(str(p) for p in self.live.rejected.problems[:MAX_PROBLEMS_SHOWN])
            log.error("the knowledge files do not load; answering from kept version %s: %s", self.live.version, details)
            await self.tell_admins(bot, report)

    async def tell_admins(self, bot: Bot, text: str) -> None:
        for admin in sorted(self.admin_ids):
            try:
                await bot.send_message(admin, text)
            except TelegramError as error:  # e.g. the admin never opened a chat with the bot
                log.warning("could not tell admin %s: %s", admin, error)
