"""The commands city staff type after editing the files: `validate`, `versions`, `restore` and `undo`.

Their words are Serbian, like the validator's messages, and each ends by saying
what to do next.  `validate` names the version it checked, which is the one the
running bot reports in `/stats` and in the reload notice once it loads the files.
`restore` writes a kept version back over the files on disk, after listing every
later change that this takes back too and asking (`--yes` answers for scripts);
`undo` takes back only the change one version made (bot/undo.py).  The running
bot then loads the files by itself, as it loads any edit.
"""

from __future__ import annotations

import getpass
import shutil
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TextIO

from bot import audit
from bot.drafts import drafted, one_writer
from bot.exit_codes import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from bot.fields import FileData, Unreadable, describe, differences, label, read_files, value_at
from bot.files import replace_file
from bot.intents import intent_files
from bot.loader import check_files, load_bundle
from bot.versions import KEEP, Snapshot, Versions, changes, content_version, counts, snapshot_files
from bot.yamlsource import ProblemsFound, display_path

RESTORE_HINT = (
    "Поништите само измену једне верзије: ./mreze undo ВЕРЗИЈА; вратите целу верзију (и поништите све после ње): "
    "./mreze restore ВЕРЗИЈА. Довољно је првих 4–5 знакова."
)
YES = {"d", "da", "д", "да", "y", "yes"}


def validate(knowledge: Path, intents: Path) -> int:
    """Print every problem, then the version checked and what it holds; 1 when there is an error."""
    bundle, problems = check_files(knowledge, intents)
    for problem in problems:
        print(problem)
    errors = sum(p.is_error for p in problems)
    warnings = len(problems) - errors
    version = content_version(knowledge, intents)
    if errors:
        print(f"\nПронађено грешака: {errors}, упозорења: {warnings} (верзија {version}).")
        print("Бот неће учитати ове датотеке док се грешке не исправе; до тада одговара из последње исправне верзије.")
        return EXIT_PROBLEMS
    print(f"\nУ реду: {display_path(knowledge)} и {display_path(intents)} су исправни (упозорења: {warnings}).")
    print(f"Верзија {version}: {describe_counts(counts(bundle))}.")
    print("Кад је бот учита, исту верзију показују /stats и порука администраторима.")
    return EXIT_OK


def describe_counts(numbers: dict[str, int]) -> str:
    return (
        f"мрежа {numbers['networks']}, чињеница {numbers['facts']}, намера {numbers['intents']}, "
        f"примера питања {numbers['examples']}"
    )


def list_versions(versions: Versions, knowledge: Path, intents: Path, data_dir: Path | None = None) -> int:
    """The kept versions, newest change first, each with what changed and, when it was saved through /staff or
    `teach`, who saved it (the audit trail in `data_dir`)."""
    kept = versions.history()
    authors = {entry.version_after: entry.who for entry in reversed(audit.read(data_dir, 1000))} if data_dir else {}
    if not kept:
        print(f"У {versions.folder} нема сачуваних верзија.")
        print("Бот чува верзију сваки пут кад исправно учита датотеке; покрените га бар једном.")
        print("Ако бот ради на серверу, команду покрените тамо: docker exec nis-bot python -m bot versions")
        return EXIT_OK
    on_disk = content_version(knowledge, intents)
    print(f"Сачуване исправне верзије, најновија измена прва ({versions.folder}):\n")
    for snapshot in kept:
        older = versions.before(snapshot)
        mark = "  ← исто што је сада на диску" if snapshot.version == on_disk else ""
        author = f", сачувао/ла {authors[snapshot.version]}" if authors.get(snapshot.version) else ""
        print(f"{snapshot.version}  учитана {_when(snapshot.saved_at)}{author}{mark}")
        print(f"    {describe_counts(dict(snapshot.counts))}")
        print(
            f"    измене: {_changes(older, snapshot)}"
            if older
            else (
                "    измене: не виде се (верзија на којој је направљена више није сачувана)"
                if snapshot.parent
                else "    најстарија сачувана верзија"
            )
        )
    if all(snapshot.version != on_disk for snapshot in kept):
        print(f"\nДатотеке на диску (верзија {on_disk}) нису ниједна од ових: измењене су после последњег учитавања.")
    print(f"\n{RESTORE_HINT}")
    return EXIT_OK


def _changes(older: Snapshot, newer: Snapshot) -> str:
    try:
        return changes(older, newer).describe()
    except Unreadable:
        return "не виде се (сачуване датотеке не могу да се прочитају)"


def restore(
    versions: Versions,
    wanted: str,
    knowledge: Path,
    intents: Path,
    backups: Path,
    yes: bool = False,
    answers: TextIO | None = None,
) -> int:
    """Write a kept version back over the files, after checking it loads and after listing the later changes
    it takes back and asking (unless `yes`); the current files go to `backups`."""
    snapshot = _pick(versions, wanted, "restore")
    if isinstance(snapshot, int):
        return snapshot
    try:
        bundle, _ = load_bundle(snapshot.knowledge, snapshot.intents_dir)
    except ProblemsFound as problems:
        print(f"Верзија {snapshot.version} се више не учитава без грешака, па није враћена:\n{problems}")
        return EXIT_PROBLEMS
    seen = content_version(knowledge, intents)
    if seen == snapshot.version:
        print(f"Датотеке на диску су већ верзија {snapshot.version}: нема шта да се врати.")
        return EXIT_OK
    print(f"Враћање верзије {snapshot.version} поништава и све што је измењено после ње:")
    for line in _taken_back(versions, snapshot, knowledge, intents):
        print(f"  {line}")
    if not yes:
        stream = answers or sys.stdin
        if not stream.isatty():
            print(
                "Верзија није враћена: ово питање мора да се потврди, а команда не чита одговор са тастатуре. "
                f"Ако сте сигурни, додајте --yes: ./mreze restore --yes {snapshot.version[:5]}"
            )
            return EXIT_USAGE
        if not confirmed(f"Да ли да вратим верзију {snapshot.version} и поништим ове измене? [d/N] ", stream):
            print("Ништа није враћено; датотеке су остале какве су биле.")
            return EXIT_PROBLEMS
    what, write = f"враћена верзија {snapshot.version}", lambda: _write_back(snapshot, knowledge, intents)
    backup = _backed_up_write(knowledge, intents, backups, seen, what, write, "Верзија није враћена")
    if backup is None:
        return EXIT_PROBLEMS
    print(f"Враћена је верзија {snapshot.version} ({describe_counts(counts(bundle))}).")
    print(f"Датотеке какве су биле пре враћања сачуване су у {backup}.")
    print(
        f"Бот који ради учитава их сам за неколико секунди: /stats тада показује верзију {snapshot.version}, "
        "а администратори добијају поруку."
    )
    return EXIT_OK


def _pick(versions: Versions, wanted: str, command: str) -> Snapshot | int:
    """The one kept version `wanted` starts, or the exit code after saying why not."""
    found = versions.find(wanted) if wanted.strip() else []
    if not found:
        print(f"Нема сачуване верзије која почиње са „{wanted}“. Списак: ./mreze versions")
        return EXIT_PROBLEMS
    if len(found) > 1:
        names = ", ".join(s.version for s in found)
        print(f"Више верзија почиње са „{wanted}“: {names}. Откуцајте више знакова: ./mreze {command} …")
        return EXIT_USAGE
    return found[0]


def _taken_back(versions: Versions, snapshot: Snapshot, knowledge: Path, intents: Path) -> list[str]:
    """One line per later change that writing `snapshot` back takes back: each later kept version, then the files
    on disk, with the fields it changed that `snapshot` has otherwise."""
    try:
        target, current = snapshot_files(snapshot), read_files(knowledge, intents)
    except Unreadable:
        return ["датотеке на диску сада не могу да се прочитају (грешка у облику), па се не види шта се поништава"]
    fields = differences(target, current)
    if not fields:
        return ["само размаке и коментаре: садржај на диску је исти као у тој верзији"]
    history = versions.history()
    later = history[: history.index(snapshot)][::-1]
    on_disk = content_version(knowledge, intents)
    disk = next((f"датотеке на диску (верзија {s.version})" for s in history if s.version == on_disk), None)
    states: list[tuple[str, FileData]] = [
        (f"{s.version} (учитана {_when(s.saved_at)})", snapshot_files(s)) for s in later
    ]
    states.append((disk or "датотеке на диску, измењене после последњег учитавања", current))
    lines, before = [], target
    for name, files in states:
        labels = [
            label(field, value_at(before, field), value_at(files, field))
            for field in fields
            if value_at(before, field) != value_at(files, field)
        ]
        if labels:
            lines.append(f"{name}: {describe(labels)}")
        before = files
    return lines


def confirmed(question: str, stream: TextIO) -> bool:
    """Ask `question` and read a yes (`d`, `да`, `y`…) from `stream`; anything else, or Ctrl-C, is no."""
    print(question, end="", flush=True)
    try:
        answer = stream.readline()
    except KeyboardInterrupt:
        answer = ""
    if not answer.endswith("\n"):
        print()
    return answer.strip().lower() in YES


def undo(versions: Versions, wanted: str, knowledge: Path, intents: Path, backups: Path) -> int:
    """Take back only the change `wanted` made (against the kept version before it), onto the files as they are;
    refused when a later change touched the same field, or when the result would not pass `validate`."""
    from bot.undo import CannotSplice, FieldChangedLater, take_back  # ruamel.yaml: only for this command

    snapshot = _pick(versions, wanted, "undo")
    if isinstance(snapshot, int):
        return snapshot
    history = versions.history()
    index = history.index(snapshot)
    before = versions.before(snapshot)
    if before is None:
        why = (
            f"верзија {snapshot.parent} на којој је измена направљена више није сачувана"
            if snapshot.parent
            else "она је најстарија сачувана"
        )
        print(
            f"Измена верзије {snapshot.version} не може да се поништи сама: {why}, па се не види шта је она "
            f"изменила. Целу верзију враћа: ./mreze restore {snapshot.version[:5]}"
        )
        return EXIT_PROBLEMS
    later = history[:index][::-1]
    seen = content_version(knowledge, intents)
    try:
        undone = take_back(before, snapshot, later, knowledge, intents)
    except FieldChangedLater as conflict:
        by = conflict.by
        where = (
            f"касније га је мењала и верзија {by.version} (учитана {_when(by.saved_at)}). "
            f"Поништите прво њу (./mreze undo {by.version[:5]}) или вратите целу ранију верзију: "
            f"./mreze restore {before.version[:5]}"
            if by
            else "после ње је то поље поново измењено у датотекама на диску. Вратите га руком или целу ранију "
            f"верзију: ./mreze restore {before.version[:5]}"
        )
        print(f"Измена верзије {snapshot.version} није поништена: {conflict.what} — {where}.")
        return EXIT_PROBLEMS
    except Unreadable as error:
        print(f"Измена није поништена: датотеке на диску не могу да се прочитају ({error}). Провера: ./mreze validate")
        return EXIT_PROBLEMS
    except CannotSplice:
        print(
            f"Измена верзије {snapshot.version} није поништена: не може да се упише а да се не дира остатак "
            f"датотеке. Вратите је руком или вратите целу верзију {before.version[:5]} (./mreze restore)."
        )
        return EXIT_PROBLEMS
    if not undone.fields:
        print(f"Верзија {snapshot.version} није мењала садржај (само размаке или коментаре): нема шта да се поништи.")
        return EXIT_OK
    problems = _problems_after(undone.contents, knowledge, intents)
    if problems:
        print(f"Измена верзије {snapshot.version} није поништена: датотеке би после тога имале грешке:")
        print("\n".join(problems))
        return EXIT_PROBLEMS
    what = f"поништена измена {snapshot.version}: {undone.description}"
    backup = _backed_up_write(
        knowledge, intents, backups, seen, what, lambda: _write(undone.contents), "Измена није поништена"
    )
    if backup is None:
        return EXIT_PROBLEMS
    print(f"Поништена је измена верзије {snapshot.version}: {undone.description}.")
    print("Ништа друго у датотекама није дирано, ни коментари.")
    print(f"Датотеке какве су биле пре поништавања сачуване су у {backup}.")
    print("Бот који ради учитава их сам за неколико секунди.")
    return EXIT_OK


class ChangedMeanwhile(Exception):
    """The files changed between what the command showed and its write (someone saved on /staff)."""


@contextmanager
def _one_writer(knowledge: Path, intents: Path, backups: Path, seen: str, what: str) -> Iterator[None]:
    """Write under the same lock as /staff and `teach` (bot/drafts.py), only over the version the command
    showed, and record the change in the audit trail, by the system user.  The data folder is the backups'."""
    data_dir = backups.parent
    with one_writer(data_dir):
        now = content_version(knowledge, intents)
        if now != seen:
            later = audit.since(data_dir, seen)
            who = "; ".join(f"{e.who}: {e.what}" for e in later) or "измењене су руком"
            raise ChangedMeanwhile(f"датотеке су се у међувремену промениле ({who}). Покрените команду поново.")
        yield
        audit.record(data_dir, getpass.getuser(), what, seen, content_version(knowledge, intents))


def _backed_up_write(
    knowledge: Path, intents: Path, backups: Path, seen: str, what: str, write: Callable[[], None], refused: str
) -> Path | None:
    """Back the files up and `write`, under the one-writer lock and only over `seen`; the backup's folder, or
    None when not written (said why, after `refused`)."""
    try:
        with _one_writer(knowledge, intents, backups, seen, what):
            backup = _back_up(knowledge, intents, backups)
            write()
    except ChangedMeanwhile as changed:
        print(f"{refused}: {changed}")
        return None
    except OSError as error:
        print(f"{refused}: датотеке не могу да се упишу ({error}).")
        return None
    return backup


def _problems_after(contents: dict[Path, bytes | None], knowledge: Path, intents: Path) -> list[str]:
    """The errors `validate` would report once `contents` are written (checked on a copy)."""
    with drafted(knowledge, intents) as draft:
        for path, content in contents.items():
            copy = draft.knowledge if path == knowledge else draft.intents / path.name
            if content is None:
                copy.unlink(missing_ok=True)
            else:
                copy.write_bytes(content)
        _, problems = draft.check()
        return [draft.here(str(problem)) for problem in problems if problem.is_error]


def _write(contents: dict[Path, bytes | None]) -> None:
    for path, content in contents.items():
        if content is None:
            path.replace(path.with_name(path.name + ".bak"))
        else:
            replace_file(path, content)


def _back_up(knowledge: Path, intents: Path, backups: Path) -> Path:
    """Copy the files as they are now; the newest `KEEP` copies are kept."""
    folder = backups / datetime.now(UTC).strftime("%Y-%m-%dT%H-%M-%S.%fZ")
    (folder / "intents").mkdir(parents=True)
    if knowledge.exists():
        shutil.copy2(knowledge, folder / knowledge.name)
    for path in intent_files(intents):
        shutil.copy2(path, folder / "intents" / path.name)
    for old in sorted(backups.iterdir(), reverse=True)[KEEP:]:
        shutil.rmtree(old, ignore_errors=True)
    return folder


def _write_back(snapshot: Snapshot, knowledge: Path, intents: Path) -> None:
    """Each file is replaced at once, so the bot's watcher never reads half of one; an intents file that the
    version does not have is renamed to `.bak`, where the bot does not read it."""
    replace_file(knowledge, snapshot.knowledge.read_bytes())
    wanted = {path.name: path for path in intent_files(snapshot.intents_dir)}
    for path in intent_files(intents):
        if path.name not in wanted:
            path.replace(path.with_name(path.name + ".bak"))
    for name, path in wanted.items():
        replace_file(intents / name, path.read_bytes())


def _when(moment: datetime) -> str:
    return f"{moment:%Y-%m-%d %H:%M:%S} UTC"
