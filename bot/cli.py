"""Command line: `python -m bot [run|web|ask|chat|validate|versions|restore|undo|teach|diff|report|staff|healthcheck]`.

The console is the product without Telegram: `ask` answers single questions
(one JSON line each with `--json`), `chat` keeps a conversation.  Staff use
`validate` (check the files), `versions`, `restore` and `undo` (take edits back: bot/shell_files.py)
`report` (what citizens asked that the bot could not answer), `teach` (what one of those meant)
and `diff` (what a hand edit would change: bot/shell_edits.py).  `run` starts the Telegram
bot (and the web chat beside it when WEB_PORT is set), `web` the web chat alone;
`staff add|list|remove|password NAME` keeps the named accounts of /staff (bot/accounts.py);
`healthcheck` is the container's probe.  With no command the Telegram bot starts when
TELEGRAM_BOT_TOKEN is set, the console chat when not.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from bot import __version__, console
from bot.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from bot.settings import DEFAULT_WEB_PORT, Settings, SettingsError
from bot.started import started_engine
from bot.yamlsource import ProblemsFound

if TYPE_CHECKING:
    from bot.reloader import LiveKnowledge

EXIT_BROKEN_PIPE = 141  # what a shell reports for a command ended by SIGPIPE


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Асистент Града Ниша за мреже градова. Без команде: Телеграм бот кад је "
        "TELEGRAM_BOT_TOKEN постављен, иначе разговор у конзоли. Подешавања: README.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument(
        "--knowledge", type=Path, help="knowledge file (default: $BOT_KNOWLEDGE or knowledge/networks.yaml)"
    )
    files.add_argument("--intents", type=Path, help="intents folder (default: $BOT_INTENTS or intents/)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser("ask", parents=[files], help="answer questions (from arguments or stdin, one per line)")
    ask.add_argument("question", nargs="*", help="the question; without it, questions are read from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")

    chat = commands.add_parser("chat", parents=[files], help="a conversation in the console (keeps context)")
    chat.add_argument("--json", action="store_true", help="read stdin lines as one conversation, print JSON lines")

    commands.add_parser("run", parents=[files], help="run the Telegram bot (settings from the environment or .env)")
    commands.add_parser(
        "web", parents=[files], help="serve the web chat, its API and /staff on WEB_HOST:WEB_PORT (no token needed)"
    )

    validate = commands.add_parser("validate", parents=[files], help="check knowledge/ and intents/ for mistakes")
    validate.add_argument("directory", nargs="?", type=Path, help="folder holding knowledge/ and intents/")

    commands.add_parser("versions", parents=[files], help="the last good versions of the files, newest first")
    restore = commands.add_parser(
        "restore", parents=[files], help="write a kept version back over the files (lists what it takes back, asks)"
    )
    restore.add_argument("version", help="the version (from `versions`); its first few characters are enough")
    restore.add_argument("--yes", action="store_true", help="do not ask (needed when stdin is not a terminal)")
    undo = commands.add_parser("undo", parents=[files], help="take back only the change one kept version made")
    undo.add_argument("version", help="the version (from `versions`) whose change to take back")

    teach = commands.add_parser("teach", parents=[files], help="teach what a question meant (bot/shell_edits.py)")
    teach.add_argument("question", help="the question, as the citizen wrote it")
    teach.add_argument("intent", nargs="?", default="", help="what it asks (an intent: seat, joined, list…)")
    teach.add_argument("network", nargs="?", help="the network's id, when the intent asks about one")
    teach.add_argument("--out-of-scope", action="store_true", help="the question is not our topic")
    teach.add_argument("--yes", action="store_true", help="save even when it changes answers that were right")
    teach.add_argument("--as", dest="who", default="", help="who teaches (default: the system user)")
    commands.add_parser("diff", parents=[files], help="what the edited files change against the loaded version")

    report = commands.add_parser(
        "report", parents=[files], help="questions the bot could not answer, grouped, and answer ratings"
    )
    report.add_argument("--days", type=float, default=30, help="how far back to look (default: 30 days)")
    report.add_argument("--csv", action="store_true", help="CSV for a spreadsheet, one row per group")

    staff_accounts = commands.add_parser("staff", help="named accounts of /staff: add, list, remove, password NAME")
    staff_accounts.add_argument("action", choices=("add", "list", "remove", "password"))
    staff_accounts.add_argument(
        "name", nargs="?", help="the account's name, in quotes when it has spaces (the password is asked; "
        "when stdin is not a terminal it is read from stdin: one line, or two that must match)"
    )  # fmt: skip

    health = commands.add_parser("healthcheck", parents=[files], help="exit 0 when the bot could serve (container)")
    health.add_argument("--timeout", type=float, default=3.0, help="seconds to wait for the webhook port")
    parser.set_defaults(command=None, knowledge=None, intents=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; output cut short by a closed pipe (`versions | head -1`) ends quietly, as `cat` would."""
    try:
        code = _command(argv)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the flush at exit must not fail again
        return EXIT_BROKEN_PIPE


def _command(argv: list[str] | None) -> int:
    _utf8_streams()
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.load()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    settings = replace(
        settings, knowledge=args.knowledge or settings.knowledge, intents=args.intents or settings.intents
    )
    if args.command in ("validate", "versions", "restore", "undo"):
        return files_command(settings, args)
    if args.command in ("teach", "diff"):
        from bot import shell_edits
        from bot.editing import Files

        if args.command == "diff":
            return shell_edits.diff(Files.of(settings))
        if not args.intent and not args.out_of_scope:
            print("Наведите намеру (нпр. seat) и мрежу, или --out-of-scope.", file=sys.stderr)
            return EXIT_USAGE
        return shell_edits.teach(
            Files.of(settings),
            args.question,
            args.intent,
            args.network,
            out_of_scope=args.out_of_scope,
            yes=args.yes,
            who=args.who,
        )
    if args.command == "report":
        from bot.report import report_command

        return report_command(settings, args.days, args.csv)
    if args.command == "healthcheck":
        from bot.healthcheck import healthcheck

        return healthcheck(settings, args.timeout)
    if args.command == "staff":
        from bot import accounts

        return accounts.command(settings.data_dir, args.action, args.name, sys.stdin, sys.stdout, sys.stderr)
    if args.command is None:
        args = build_parser().parse_args(["run" if settings.token else "chat"])
    if args.command == "run":
        return run(settings)
    if args.command == "web":
        return web(settings)
    try:
        engine = started_engine(settings.knowledge, settings.intents, settings.model_cache)
    except ProblemsFound as problems:
        _print_problems(problems)
        return EXIT_PROBLEMS
    # The engine lives as long as the process: the collector need never walk its objects again, nor at the exit
    # (a tenth of `ask`'s start, measured in docs/performance.md).
    gc.freeze()
    if args.command == "ask":
        return console.ask(engine, args.question, args.json, sys.stdin)
    return console.chat(engine, sys.stdin, args.json, settings.memory_minutes)


def files_command(settings: Settings, args: argparse.Namespace) -> int:
    """`validate`, `versions`, `restore`, `undo` (bot/shell_files.py): imported only for them, so that `ask` and
    `chat` start without the version machinery."""
    from bot import shell_files
    from bot.versions import Versions

    if args.command == "validate":
        if args.directory:
            return shell_files.validate(args.directory / "knowledge" / "networks.yaml", args.directory / "intents")
        return shell_files.validate(settings.knowledge, settings.intents)
    versions = Versions(settings.versions)
    if args.command == "versions":
        return shell_files.list_versions(versions, settings.knowledge, settings.intents, settings.data_dir)
    if args.command == "restore":
        return shell_files.restore(
            versions, args.version, settings.knowledge, settings.intents, settings.backups, yes=args.yes
        )
    return shell_files.undo(versions, args.version, settings.knowledge, settings.intents, settings.backups)


def run(settings: Settings) -> int:
    # Imported only when the bot runs: `ask` and `chat` need neither Telegram, reloading nor SQLite.
    from telegram.error import InvalidToken

    from bot.runner import serve
    from bot.serving import ChannelMaker
    from bot.tg.channel import TelegramChannel
    from bot.web.channel import web_channel

    if settings.web_processes > 1 and settings.web_port:
        print(
            "WEB_PROCESSES важи за `python -m bot web`: Телеграм (`run`) ради у једном процесу. Покрените страницу "
            "као засебан сервис (web са WEB_PROCESSES), а `run` без WEB_PORT (README, „Every core“).",
            file=sys.stderr,
        )
        return EXIT_USAGE
    try:
        token = settings.require_token()
    except SettingsError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    try:
        channels: list[ChannelMaker] = [TelegramChannel, web_channel()] if settings.web_port else [TelegramChannel]
        return _serve(settings, token, lambda settings, live: serve(settings, live, channels))
    except InvalidToken:
        print("Телеграм не прихвата TELEGRAM_BOT_TOKEN: проверите токен код @BotFather.", file=sys.stderr)
        return EXIT_USAGE


def web(settings: Settings) -> int:
    from bot.web.processes import AlreadyServing, prepare

    try:
        prepare(settings)  # WEB_PROCESSES: the data folder's lock, before prometheus_client is imported
    except AlreadyServing as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    from bot.runner import serve_web, serve_web_processes

    serve = serve_web_processes if settings.web_processes > 1 else serve_web
    return _serve(replace(settings, web_port=settings.web_port or DEFAULT_WEB_PORT), "", serve)


def _serve(settings: Settings, secret: str, serve: Callable[[Settings, LiveKnowledge], None]) -> int:
    """Load the knowledge (or the last good version), set up logging, and run `serve` until it stops."""
    from bot.logs import set_up_logging
    from bot.reloader import LiveKnowledge
    from bot.storage.database import StoreUnavailable
    from bot.versions import Versions
    from bot.web.server import WebPortUnavailable

    try:
        live = LiveKnowledge(
            settings.knowledge,
            settings.intents,
            settings.model_cache,
            Versions(settings.versions),
            settings.answer_cache,
        )
    except ProblemsFound as problems:
        print(
            "Бот није покренут: датотеке са знањем имају грешке, а исправна верзија још није сачувана "
            f"(у {settings.versions}). Исправите грешке испод (провера: python -m bot validate) и покрените га поново.",
            file=sys.stderr,
        )
        print(problems, file=sys.stderr)
        return EXIT_PROBLEMS
    set_up_logging(settings.log_level, secret, settings.log_format, settings.web_staff_token or "")
    try:
        serve(settings, live)
    except (StoreUnavailable, WebPortUnavailable) as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    return EXIT_OK


def _print_problems(problems: ProblemsFound) -> None:
    print("Датотеке са знањем имају грешке:", file=sys.stderr)
    print(problems, file=sys.stderr)


def _utf8_streams() -> None:
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8", errors="replace")
