"""Command line: `python -m bot [run|ask|chat|validate]`.

The console is the product without Telegram: `ask` answers single questions
(one JSON line each with `--json`), `chat` keeps a conversation, `validate`
checks the files staff edit.  `run` starts the Telegram bot.  With no command
the Telegram bot starts when TELEGRAM_BOT_TOKEN is set, the console chat when not.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from bot import __version__
from bot.engine import Answer, Conversation, Engine
from bot.loader import DEFAULT_INTENTS, DEFAULT_KNOWLEDGE, check_files, load_bundle
from bot.settings import SettingsError, TelegramSettings
from bot.yamlsource import ProblemsFound

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Асистент Града Ниша за мреже градова. Без команде: разговор у конзоли.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument(
        "--knowledge", type=Path, default=Path(os.environ.get("BOT_KNOWLEDGE", DEFAULT_KNOWLEDGE)),
        help="knowledge file (default: knowledge/networks.yaml, or $BOT_KNOWLEDGE)",
    )  # fmt: skip
    files.add_argument(
        "--intents", type=Path, default=Path(os.environ.get("BOT_INTENTS", DEFAULT_INTENTS)),
        help="intents directory (default: intents/, or $BOT_INTENTS)",
    )  # fmt: skip
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    ask = commands.add_parser("ask", parents=[files], help="answer questions (from arguments or stdin, one per line)")
    ask.add_argument("question", nargs="*", help="the question; without it, questions are read from stdin")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")

    chat = commands.add_parser("chat", parents=[files], help="a conversation in the console (keeps context)")
    chat.add_argument("--json", action="store_true", help="read stdin lines as one conversation, print JSON lines")

    run = commands.add_parser("run", parents=[files], help="run the Telegram bot (settings from the environment)")
    run.add_argument("--log-level", default=os.environ.get("LOG_LEVEL", "INFO"), help="default: INFO, or $LOG_LEVEL")

    validate = commands.add_parser("validate", help="check knowledge/ and intents/ for mistakes")
    validate.add_argument("directory", nargs="?", type=Path, help="folder holding knowledge/ and intents/")
    parser.set_defaults(command=None, knowledge=None, intents=None)
    return parser


def main(argv: list[str] | None = None) -> int:
    _utf8_streams()
    args = build_parser().parse_args(argv)
    if args.command == "validate":
        return validate(args.directory)
    if args.command is None:
        args = build_parser().parse_args(["run" if os.environ.get("TELEGRAM_BOT_TOKEN") else "chat"])
    if args.command == "run":
        try:
            settings = TelegramSettings.from_env(os.environ)
        except SettingsError as error:
            print(error, file=sys.stderr)
            return EXIT_USAGE
    try:
        bundle, _warnings = load_bundle(args.knowledge, args.intents)
    except ProblemsFound as problems:
        print("Датотеке са знањем имају грешке:", file=sys.stderr)
        print(problems, file=sys.stderr)
        return EXIT_PROBLEMS
    engine = Engine(bundle)
    if args.command == "run":
        return run(settings, engine, args.log_level)
    if args.command == "ask":
        return ask(engine, args.question, args.json)
    return chat(engine, sys.stdin, args.json)


def run(settings: TelegramSettings, engine: Engine, log_level: str) -> int:
    from bot.logs import set_up_logging
    from bot.tg.app import run_bot  # Telegram is imported only when the bot runs

    set_up_logging(log_level, settings.token)
    run_bot(settings, engine)
    return EXIT_OK


def ask(engine: Engine, words: list[str], as_json: bool) -> int:
    if words:
        _print_answer(engine.answer(" ".join(words)), as_json)
        return EXIT_OK
    for index, line in enumerate(_lines(sys.stdin)):
        if not as_json and index:
            print()
        _print_answer(engine.answer(line), as_json)
    return EXIT_OK


def chat(engine: Engine, stream: TextIO, as_json: bool) -> int:
    conversation = Conversation(engine)
    interactive = stream.isatty() and not as_json
    if interactive:
        print("Асистент Града Ниша за мреже градова. Питајте ћирилицом или латиницом; Ctrl-D за крај.\n")
    try:
        for line in _lines(stream, prompt="› " if interactive else None):
            answer = conversation.ask(line)
            _print_answer(answer, as_json)
            if interactive:
                print()
    except KeyboardInterrupt:
        print()
    return EXIT_OK


def validate(directory: Path | None) -> int:
    root = directory or DEFAULT_KNOWLEDGE.parent.parent
    knowledge, intents = root / "knowledge" / "networks.yaml", root / "intents"
    _, problems = check_files(knowledge, intents)
    for problem in problems:
        print(problem)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    if errors:
        print(f"\nПронађено грешака: {errors}, упозорења: {warnings}.")
        print("Бот неће учитати ове датотеке док се грешке не исправе.")
        return EXIT_PROBLEMS
    print(f"У реду: {knowledge} и {intents} су исправни (упозорења: {warnings}).")
    return EXIT_OK


def _print_answer(answer: Answer, as_json: bool) -> None:
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
        return
    print(answer.text, flush=True)
    for suggestion in answer.suggestions:
        print(f"  → {suggestion}")


def _lines(stream: TextIO, prompt: str | None = None) -> Iterator[str]:
    while True:
        if prompt:
            print(prompt, end="", flush=True)
        line = stream.readline()
        if not line:
            if prompt:
                print()
            return
        yield line.rstrip("\r\n")


def _utf8_streams() -> None:
    for stream in (sys.stdout, sys.stderr, sys.stdin):
        if hasattr(stream, "reconfigure") and (stream.encoding or "").lower() not in ("utf-8", "utf8"):
            stream.reconfigure(encoding="utf-8", errors="replace")
