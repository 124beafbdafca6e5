"""The commands city staff type after editing the files: `validate`, `versions` and `restore`.

Their words are Serbian, like the validator's messages, and each ends by saying
what to do next.  `validate` names the version it checked, which is the one the
running bot reports in `/stats` and in the reload notice once it loads the files.
`restore` writes a kept version back over the files on disk; the running bot
then loads it by itself, as it loads any edit.
"""

from __future__ import annotations

import shutil
from datetime import UTC, datetime
from pathlib import Path

from bot.files import replace_file
from bot.intents import intent_files
from bot.loader import check_files, load_bundle
from bot.versions import KEEP, Snapshot, Versions, changes, content_version, counts
from bot.yamlsource import ProblemsFound, display_path

EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2
RESTORE_HINT = "Вратите верзију: python -m bot restore ВЕРЗИЈА (довољно је првих 4–5 знакова)."


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


def list_versions(versions: Versions, knowledge: Path, intents: Path) -> int:
    kept = versions.all()
    if not kept:
        print(f"У {versions.folder} нема сачуваних верзија.")
        print("Бот чува верзију сваки пут кад исправно учита датотеке; покрените га бар једном.")
        print("Ако бот ради на серверу, команду покрените тамо: docker exec nis-bot python -m bot versions")
        return EXIT_OK
    on_disk = content_version(knowledge, intents)
    print(f"Сачуване исправне верзије, последња учитана прва ({versions.folder}):\n")
    for index, snapshot in enumerate(kept):
        older = kept[index + 1] if index + 1 < len(kept) else None
        mark = "  ← исто што је сада на диску" if snapshot.version == on_disk else ""
        print(f"{snapshot.version}  учитана {_when(snapshot.loaded_at)}{mark}")
        print(f"    {describe_counts(dict(snapshot.counts))}")
        print(f"    измене: {changes(older, snapshot).describe()}" if older else "    најстарија сачувана верзија")
    if all(snapshot.version != on_disk for snapshot in kept):
        print(f"\nДатотеке на диску (верзија {on_disk}) нису ниједна од ових: измењене су после последњег учитавања.")
    print(f"\n{RESTORE_HINT}")
    return EXIT_OK


def restore(versions: Versions, wanted: str, knowledge: Path, intents: Path, backups: Path) -> int:
    """Write a kept version back over the files, after checking it loads; the current files go to `backups`."""
    found = versions.find(wanted) if wanted.strip() else []
    if not found:
        print(f"Нема сачуване верзије која почиње са „{wanted}“. Списак: python -m bot versions")
        return EXIT_PROBLEMS
    if len(found) > 1:
        print(f"Више верзија почиње са „{wanted}“: {', '.join(s.version for s in found)}. Откуцајте више знакова.")
        return EXIT_USAGE
    (snapshot,) = found
    try:
        bundle, _ = load_bundle(snapshot.knowledge, snapshot.intents_dir)
    except ProblemsFound as problems:
        print(f"Верзија {snapshot.version} се више не учитава без грешака, па није враћена:\n{problems}")
        return EXIT_PROBLEMS
    try:
        backup = _back_up(knowledge, intents, backups)
        _write_back(snapshot, knowledge, intents)
    except OSError as error:
        print(f"Верзија није враћена: датотеке не могу да се упишу ({error}).")
        return EXIT_PROBLEMS
    print(f"Враћена је верзија {snapshot.version} ({describe_counts(counts(bundle))}).")
    print(f"Датотеке какве су биле пре враћања сачуване су у {backup}.")
    print(
        f"Бот који ради учитава их сам за неколико секунди: /stats тада показује верзију {snapshot.version}, "
        "а администратори добијају поруку."
    )
    return EXIT_OK


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
