"""`teach` and `diff` in the shell: what the staff page does, for a terminal.

`./mreze teach "ПИТАЊЕ" НАМЕРА [МРЕЖА]` (or `--out-of-scope`) shows the answer
the citizen would now get in both scripts and every answer the lesson would
change, then saves it; when it would change an answer for the worse it asks
first (`--yes` answers for you).  `./mreze diff` shows what the files on disk,
edited by hand, would change against the version the bot last loaded.
"""

from __future__ import annotations

import getpass
import sys
from collections.abc import Callable

from bot.drafts import Conflict
from bot.editing import Files, Outcome, changes_since, try_edit
from bot.engine import Engine
from bot.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from bot.loader import load_bundle
from bot.preview import (
    HEADINGS,
    KINDS,
    SCRIPT_NAMES,
    Preview,
    compare,
    kept_answers,
    questions_to_ask,
    readable,
    same_reading,
)
from bot.reasking import Side
from bot.shell_files import confirmed
from bot.teaching import OUT_OF_SCOPE, Teach
from bot.versions import Versions, content_version
from bot.yamlsource import ProblemsFound

SHOWN_PER_KIND = 20


def teach(
    files: Files,
    question: str,
    intent: str,
    network: str | None,
    *,
    out_of_scope: bool,
    yes: bool,
    who: str,
    confirm: Callable[[str], bool] | None = None,
) -> int:
    lesson = Teach.of(question, OUT_OF_SCOPE if out_of_scope else intent, None if out_of_scope else network)
    who = who or getpass.getuser()
    try:
        outcome = try_edit(files, lesson, save=True, confirmed=yes, who=who)
        if outcome.problems:
            print("\n".join(outcome.problems))
            return EXIT_PROBLEMS
        if outcome.preview is not None:
            _print_lesson(outcome, lesson.question)
        if outcome.saved_as is None:
            if not (confirm or _ask)("Ова измена мења одговоре означене са ⚠. Да је ипак сачувам? [d/N] "):
                print("Није сачувано. Ништа није промењено.")
                return EXIT_PROBLEMS
            outcome = try_edit(
                files,
                lesson,
                based_on=outcome.based_on,
                save=True,
                confirmed=True,
                previewed=outcome.edited_version,
                who=who,
            )
    except Conflict as conflict:
        print(changes_since(files, conflict.based_on) + " Покушајте поново.")
        return EXIT_PROBLEMS
    except OSError as error:
        print(f"Измена није уписана: датотеке не могу да се упишу ({error}).")
        return EXIT_PROBLEMS
    print(f"Сачувано као верзија {outcome.saved_as}: {lesson.describe()}.")
    print("Бот који ради учитава је сам за неколико секунди.")
    return EXIT_OK


def diff(files: Files) -> int:
    """The files on disk against the version the bot last loaded (the newest kept one)."""
    kept = Versions(files.versions).all()
    if not kept:
        print(f"У {files.versions} нема сачуване верзије с којом би се поредило: покрените бота бар једном.")
        return EXIT_USAGE
    try:
        edited, _ = load_bundle(files.knowledge, files.intents)
        live, _ = load_bundle(kept[0].knowledge, kept[0].intents_dir)
    except ProblemsFound as found:
        print(f"Датотеке имају грешке; прво их исправите (./mreze validate):\n{found}")
        return EXIT_PROBLEMS
    before = Side(kept[0].knowledge, kept[0].intents_dir, kept[0].version, Engine(live, files.model_cache))
    on_disk = content_version(files.knowledge, files.intents)
    after = Side(files.knowledge, files.intents, on_disk, Engine(edited, files.model_cache))
    asked = questions_to_ask(files.data_dir, [live, edited])
    preview = compare(before, after, asked, kept_answers(files.data_dir), files.model_cache)
    print(f"Датотеке на диску према верзији {kept[0].version}, коју је бот последњу учитао:")
    _print_preview(preview, after.engine)
    return EXIT_PROBLEMS if preview.needs_confirmation else EXIT_OK


def _print_lesson(outcome: Outcome, question: str) -> None:
    from bot.preview import answer_in_both_scripts

    assert outcome.after is not None and outcome.preview is not None
    for answer in answer_in_both_scripts(outcome.after, question):
        print(f"Грађанин би сада добио ({SCRIPT_NAMES[answer.script]}):\n{_indent(answer.text)}\n")
    _print_preview(outcome.preview, outcome.after)


def _print_preview(preview: Preview, engine: Engine) -> None:
    if not preview.changes:
        print(f"Поново је постављено {preview.asked} питања: ниједан други одговор се не мења.")
        return
    print(f"Поново је постављено {preview.asked} питања. Број одговора који се мењају: {len(preview.changes)}.")
    for kind in KINDS:
        changes = preview.of_kind(kind)
        if not changes:
            continue
        print(f"\n{HEADINGS[kind]}: {len(changes)}")
        for change in changes[:SHOWN_PER_KIND]:
            mark = "  ⚠ " if change.risky else "    "
            print(f"{mark}„{change.asked.text}“ [{change.asked.source}]")
            now = "исто, други текст" if same_reading(change) else readable(engine, change.after)
            print(f"      било: {readable(engine, change.before)}  →  сада: {now}")
        if len(changes) > SHOWN_PER_KIND:
            print(f"    … и још {len(changes) - SHOWN_PER_KIND}")
    if preview.needs_confirmation:
        print(f"\n⚠ Број одговора који су били тачни, или се мењају а не знамо да је нови тачан: {len(preview.risky)}.")


def _indent(text: str) -> str:
    return "\n".join(f"    {line}" for line in text.splitlines())


def _ask(prompt: str) -> bool:
    if not sys.stdin.isatty():
        print("Није сачувано: ова измена мења одговоре означене са ⚠; ако је ипак желите, додајте --yes.")
        return False
    return confirmed(prompt, sys.stdin)
