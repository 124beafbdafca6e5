"""Mutation testing: would the tests notice a small bug in the modules where a slip costs citizens or staff?

    .venv/bin/pip install -e '.[mutation]'
    .venv/bin/python bench/mutation.py              # every group; about 2 hours on a 2-core machine
    .venv/bin/python bench/mutation.py script tg    # some groups
    nice -n 10 .venv/bin/python bench/mutation.py --jobs 1 --show storage   # one group, gently, naming survivors

mutmut plants one small change at a time (an operator, a constant, a comparison,
a removed call) in a copy of the project and runs the group's tests against it.
A mutant is killed when a test fails.  The score of a module is killed / (all −
equivalent): a mutant that no test reaches counts as surviving.  Equivalent
mutants (the change cannot alter behaviour) are listed in
bench/mutation_equivalents.yaml, each with a one-line reason, and left out of
the count.  Each group runs only the tests that are about it, in-process, so
tests that drive `python -m bot` as a subprocess do not count here (a group may
name single tests of an e2e file, `file::test`, those that run in-process).
docs/mutation.md has the groups, the scores and what each group's tests hold.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
TARGET = 0.85
EQUIVALENTS = ROOT / "bench" / "mutation_equivalents.yaml"
COPIED = ("bot", "tests", "knowledge", "intents", "docs", "README.md", "pyproject.toml")
KILLED = {1, 3, 37}
TIMEOUT = {36, 24, -24, 152, 255}

VERSIONS_IN_PROCESS = (  # the tests of tests/e2e/test_versions.py that run in this process
    "test_a_good_load_keeps_exactly_the_files_it_loaded",
    "test_a_start_with_broken_files_answers_from_the_newest_good_version",
    "test_a_kept_version_that_no_longer_loads_is_passed_over",
    "test_only_the_twenty_newest_versions_are_kept",
    "test_a_folder_that_cannot_hold_versions_does_not_stop_the_bot",
    "test_changes_name_the_networks_and_intents_that_differ",
    "test_an_edit_of_the_web_pages_texts_is_a_change_too",
)

# group -> (modules to mutate, the tests that are about them)
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "script": (["bot/script.py"], ["tests/unit/test_script.py"]),
    "networks": (
        ["bot/understanding/networks.py"],
        ["tests/unit/test_network_finder.py", "tests/unit/test_boundaries.py", "tests/unit/test_understanding.py"],
    ),
    "decide": (
        ["bot/understanding/decide.py"],
        [
            "tests/unit/test_decide.py",
            "tests/unit/test_boundaries.py",
            "tests/unit/test_understanding.py",
            "tests/unit/test_intent_corpus.py",
        ],
    ),
    "tg": (
        ["bot/tg/format.py", "bot/tg/delivery.py", "bot/tg/admin.py"],
        ["tests/unit/test_telegram_format.py", "tests/unit/test_telegram_delivery.py", "tests/unit/test_admin.py"],
    ),
    "settings": (["bot/settings.py"], ["tests/unit/test_settings.py"]),
    "knowledge": (["bot/knowledge.py"], ["tests/e2e/test_validation.py"]),
    "validation": (
        [
            "bot/checks.py",
            "bot/intents/reading.py",
            "bot/intents/alternatives.py",
            "bot/intents/checks.py",
            "bot/yamlsource.py",
            "bot/loader.py",
        ],
        ["tests/e2e/test_validation.py"],
    ),
    # The durable inbox, conversation memory and the questions database, through storage faults.
    "storage": (
        ["bot/storage/database.py", "bot/storage/inbox.py", "bot/storage/conversations.py", "bot/storage/questions.py"],
        [
            "tests/unit/test_storage.py",
            "tests/unit/test_dispatch.py",
            "tests/unit/test_memory_minutes.py",
            "tests/unit/test_charts.py",
            "tests/unit/test_grouping.py",
        ],
    ),
    # Order within a chat, fairness across chats, the quota, confirming to Telegram only what is on disk.
    "dispatch": (
        ["bot/tg/dispatch.py", "bot/quota.py", "bot/tg/polling.py"],
        ["tests/unit/test_dispatch.py", "tests/unit/test_polling.py", "tests/unit/test_web_parts.py"],
    ),
    # Last good versions: kept with their parent, found again.
    "versions": (
        ["bot/versions.py"],
        [
            "tests/unit/test_restore.py",
            "tests/unit/test_admin.py",
            "tests/unit/test_reloader.py",
            *(f"tests/e2e/test_versions.py::{name}" for name in VERSIONS_IN_PROCESS),
        ],
    ),
    # The staff commands that write versions back (restore and undo back the files up first); their e2e scenarios
    # run in-process (tests/e2e/test_staff_commands.py), which is slow, so versions.py has a group of its own.
    "staff": (
        ["bot/shell_files.py"],
        [
            "tests/unit/test_restore.py",
            "tests/e2e/test_staff_commands.py",
            "tests/unit/test_admin.py",
            "tests/unit/test_reloader.py",
            *(f"tests/e2e/test_versions.py::{name}" for name in VERSIONS_IN_PROCESS),
            "tests/e2e/test_undo.py::test_restore_asks_at_a_terminal",
        ],
    ),
    # The classifier and its caches (on disk, in the process): never a model trained from other examples.
    "classify": (
        ["bot/understanding/classify.py"],
        ["tests/unit/test_classify.py", "tests/unit/test_understanding.py"],
    ),
    # A message read once, clause by clause, each taking the network and question of the one before: the message
    # (clauses, tokens, courtesy, question words), the oracle the rules ask, and the rules that lean on the
    # conversation before.
    "pipeline": (
        [
            "bot/understanding/pipeline.py",
            "bot/understanding/message.py",
            "bot/understanding/lookups.py",
            "bot/understanding/rules/conversation.py",
        ],
        [
            "tests/unit/test_answers.py",
            "tests/unit/test_understanding.py",
            "tests/unit/test_boundaries.py",
            "tests/unit/test_intent_corpus.py",
            "tests/unit/test_message.py",
            "tests/unit/test_bounded_reading.py",
            "tests/unit/test_decide.py",  # the rules one by one, on evidence written by hand
            "tests/unit/test_lookups.py",  # the oracle the rules ask, on the real files
            "tests/unit/test_classify.py::test_a_model_trained_now_is_the_one_the_cache_holds",  # training's input
        ],
    ),
    "compose": (
        ["bot/answering/compose.py"],
        ["tests/unit/test_answers.py", "tests/unit/test_details.py", "tests/unit/test_understanding.py"],
    ),
    # The web side's guards: conversations and votes, the shared file, the staff gate, the API's checks.
    "web": (
        [
            "bot/conversation.py",
            "bot/memory.py",
            "bot/web/shared.py",
            "bot/web/gate.py",
            "bot/web/base.py",
            "bot/web/api.py",
        ],
        [
            "tests/unit/test_web_parts.py",
            "tests/unit/test_conversation.py",
            "tests/unit/test_gate.py",
            "tests/unit/test_memory_minutes.py",
            "tests/unit/test_web_api.py",
            *(
                f"tests/e2e/test_web_processes.py::{name}"
                for name in (
                    "test_two_connections_see_each_others_conversations_and_count_a_vote_once",
                    "test_the_shared_quota_refills_at_its_rate_and_no_faster",
                    "test_shared_staff_sessions_keep_neither_the_cookie_nor_the_password_hash",
                    "test_only_a_conversations_last_answers_can_be_rated_as_in_memory",
                    "test_shared_sessions_are_bounded_and_no_stored_value_opens_one",
                )
            ),
        ],
    ),
}


def run_group(
    name: str, modules: list[str], tests: list[str], scratch: Path, jobs: int | None = None, again: bool = False
) -> dict[str, dict[str, int | str]]:
    """Mutate `modules` in a copy of the project; return each mutant's exit code by module.  `again`: in a kept
    folder of an earlier run, with the tests as they are now, test again only the mutants not caught then (a test
    added can catch a mutant, never free one; changing the group's list of tests makes mutmut start over)."""
    work = scratch / name
    if again and (work / "mutants").is_dir():
        return _run_again(work, modules, tests, jobs)
    shutil.rmtree(work, ignore_errors=True)  # a kept folder of an earlier run
    for item in COPIED:
        source = ROOT / item
        if source.is_dir():
            shutil.copytree(source, work / item, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, work / item)
    _configure(work, modules, tests)
    _mutmut(work, jobs)
    return _results(work, modules)


def _configure(work: Path, modules: list[str], tests: list[str]) -> None:
    """The project's pyproject.toml with the group's [tool.mutmut] section."""
    config = {
        "source_paths": ["bot/"],
        "only_mutate": modules,
        "also_copy": ["knowledge/", "intents/", "docs/", "README.md"],
        "pytest_add_cli_args": ["-p", "no:cacheprovider", "-n", "0", "--no-cov", "-q", "-x"],  # in-process
        "pytest_add_cli_args_test_selection": tests,
    }
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8") + "\n[tool.mutmut]\n"
    text += "".join(f"{key} = {json.dumps(value)}\n" for key, value in config.items())
    (work / "pyproject.toml").write_text(text, encoding="utf-8")


def _mutmut(work: Path, jobs: int | None, names: list[str] | None = None) -> None:
    mutmut = Path(sys.executable).with_name("mutmut")
    env = {**os.environ, "BOT_TEST_MODEL_CACHE": str(work.parent / "models")}  # train once, not once per mutant
    command = [str(mutmut), "run", *(["--max-children", str(jobs)] if jobs else []), *(names or [])]
    finished = subprocess.run(command, cwd=work, env=env, capture_output=True, text=True)
    if finished.returncode:
        sys.exit(f"mutmut failed in {work}:\n{finished.stdout[-2000:]}\n{finished.stderr[-2000:]}")


def _results(work: Path, modules: list[str]) -> dict[str, dict[str, int | str]]:
    results: dict[str, dict[str, int | str]] = {}
    for module in modules:
        meta = json.loads((work / "mutants" / f"{module}.meta").read_text(encoding="utf-8"))
        results[module] = meta["exit_code_by_key"]
    return results


def _run_again(work: Path, modules: list[str], tests: list[str], jobs: int | None) -> dict[str, dict[str, int | str]]:
    for folder in (work / "tests", work / "mutants" / "tests"):
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(ROOT / "tests", folder, ignore=shutil.ignore_patterns("__pycache__"))
    _configure(work, modules, tests)
    # mutmut traces again only the tests it has not seen: a test changed since (reaching other functions now)
    # would run against the mutants it reached before; trace them all afresh
    (work / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    earlier = _results(work, modules)
    equivalents = yaml.safe_load(EQUIVALENTS.read_text(encoding="utf-8")) or {}
    left = [
        key
        for codes in earlier.values()
        for key, code in codes.items()
        if code not in KILLED | TIMEOUT and key not in equivalents
    ]
    if left:
        _mutmut(work, jobs, left)
    return _results(work, modules)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("groups", nargs="*", help=f"groups to run (default: all): {', '.join(GROUPS)}")
    parser.add_argument("--show", action="store_true", help="list the surviving mutants' names")
    parser.add_argument("--jobs", type=int, help="mutants tested at once (default: one per core)")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (`mutmut show NAME` there)")
    parser.add_argument(
        "--again", action="store_true", help="with --keep: test again only what the kept run did not catch"
    )
    args = parser.parse_args()
    unknown = [name for name in args.groups if name not in GROUPS]
    if unknown:
        parser.error(f"no such group: {', '.join(unknown)}")
    equivalents: dict[str, str] = yaml.safe_load(EQUIVALENTS.read_text(encoding="utf-8")) or {}
    below: list[str] = []
    seen: set[str] = set()
    print(
        f"{'module':36} {'mutants':>8} {'killed':>7} {'timeout':>8} {'equiv.':>7} {'survived':>9} {'no test':>8} "
        f"{'score':>7}"
    )
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    with contextlib.nullcontext(str(args.keep)) if args.keep else tempfile.TemporaryDirectory() as scratch:
        for name in args.groups or GROUPS:
            modules, tests = GROUPS[name]
            started = time.monotonic()
            for module, codes in run_group(name, modules, tests, Path(scratch), args.jobs, args.again).items():
                seen.update(codes)
                killed = [k for k, code in codes.items() if code in KILLED or code in TIMEOUT]
                timed_out = [k for k, code in codes.items() if code in TIMEOUT]  # a hang counts as caught
                equivalent = [k for k in codes if k in equivalents and k not in killed]
                untested = [k for k, code in codes.items() if code in (5, 33) and k not in equivalent]
                survived = [k for k in codes if k not in killed and k not in equivalent and k not in untested]
                counted = len(codes) - len(equivalent)
                score = len(killed) / counted if counted else 1.0
                print(
                    f"{module:36} {len(codes):8} {len(killed):7} {len(timed_out):8} {len(equivalent):7} "
                    f"{len(survived):9} {len(untested):8} {score:7.1%}"
                )
                if args.show:
                    for key in survived + untested:
                        print(f"    {key}: {'no test' if key in untested else 'survived'}")
                if score < TARGET:
                    below.append(module)
            print(f"  ({name}: {time.monotonic() - started:.0f} s)")
    ran = [module.replace("/", ".")[:-3] + "." for name in args.groups or GROUPS for module in GROUPS[name][0]]
    stale = [key for key in equivalents if key.startswith(tuple(ran)) and key not in seen]
    if stale:
        print("listed as equivalent but no longer made (the code changed; look again):", *stale, sep="\n  ")
    if below:
        sys.exit(f"below {TARGET:.0%}: {', '.join(below)}")


if __name__ == "__main__":
    main()
