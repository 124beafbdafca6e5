"""What the worst question costs against the median one: `python bench/worst_case.py [--project DIR]`.

The median is taken over the held-out questions, each asked once, in a new
conversation, with the engine's answer cache off and its per-word caches warmed
by the corpus first (as a running bot's are by the questions before).  The
worst cases are generated, new every time so that no per-word cache helps: up
to the 1,000 characters the
engine reads (and the 4,096 a Telegram message can hold) of random words in
either script, of near-names of our networks, of clauses and question words,
of courtesy, of capitalised unknown names after `Да ли је Ниш члан`, one
endless word, digits.  Prints the median, each kind's median and slowest, and
the ratios to the median question (issue 18's target: at most 10×).  Each question is
timed alone with the garbage collector held off (a collection is the process's
work, not the question's).  Wall times on a shared machine jump by several
milliseconds now and then; `--instructions` counts each question's instructions
under valgrind's callgrind instead (the same count every run; a few minutes).
`--project` runs an older checkout's engine in a child process instead.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LATIN = "abcčćdđefghijklmnoprsštuvzž"
CYRILLIC = "абвгдђежзијклљмнњопрстћуфхцчџш"
NEAR_NAMES = [
    "nalde",
    "ekda",
    "avce",
    "sgko",
    "enrgy",
    "citis",
    "lgia",
    "istorijskh",
    "gradva",
    "konferncija",
    "НАЛДЕ",
    "ЕКДА",
    "АВЦЕ",
    "СГКО",
    "енерџи",
    "ситис",
    "лига",
    "алијанса",
    "европски",
    "стална",
]
QUESTIONS = [
    "Šta je NALED",
    "gde je sediste SKGO",
    "kada je osnovan ECAD",
    "ko je osnovao AVEC",
    "Колико чланова има Лига историјских градова",
    "Када је Ниш приступио Energy Cities",
]
QUESTION_WORDS = ["ko", "šta", "gde", "kada", "koliko", "zašto", "koji", "od kada", "u kom gradu", "kog dana"]
COURTESY = ["hvala", "molim vas", "dobar dan", "поштовани", "унапред хвала", "pozdrav svima", "izvinite"]


def words(rng: random.Random, letters: str) -> str:
    return "".join(rng.choice(letters) for _ in range(rng.randint(3, 12)))


def fill(rng: random.Random, make: Callable[[random.Random], str], length: int, glue: str = " ") -> str:
    parts: list[str] = []
    while sum(len(p) + len(glue) for p in parts) < length:
        parts.append(make(rng))
    return glue.join(parts)[:length]


def mixed(rng: random.Random) -> str:
    return rng.choice([words(rng, LATIN), rng.choice(NEAR_NAMES), *QUESTION_WORDS])


def worst_cases(rng: random.Random, length: int) -> dict[str, Callable[[], str]]:
    def capitalised(r: random.Random) -> str:
        return words(r, LATIN).capitalize()

    return {
        "random Latin words": lambda: fill(rng, lambda r: words(r, LATIN), length),
        "random Cyrillic words": lambda: fill(rng, lambda r: words(r, CYRILLIC), length),
        "near-names": lambda: fill(rng, lambda r: r.choice(NEAR_NAMES) + r.choice(["", "a", "u", "om"]), length),
        "many clauses": lambda: fill(rng, lambda r: r.choice(QUESTIONS) + r.choice(["?", ",", " i", " a"]), length),
        "question words": lambda: fill(rng, lambda r: r.choice(QUESTION_WORDS), length),
        "courtesy": lambda: fill(rng, lambda r: r.choice(COURTESY), length),
        "unknown names": lambda: "Da li je Niš član " + fill(rng, capitalised, length - 18),
        "one long word": lambda: words(rng, LATIN) * (length // 6),
        "digits": lambda: fill(rng, lambda r: str(r.randint(0, 10**9)), length),
        "mixed": lambda: fill(
            rng, lambda r: r.choice([words(r, LATIN), r.choice(NEAR_NAMES), *QUESTION_WORDS]), length
        ),
    }


def questions(samples: int) -> tuple[list[str], list[str], list[tuple[str, str]]]:
    """The warm-up (corpus), the held-out questions, and (kind, question) for every generated worst case."""
    import yaml

    def asked(path: str) -> list[str]:
        document = yaml.safe_load((ROOT / "tests" / path).read_text(encoding="utf-8"))
        return [str(q) for item in document["questions"] for q in item["ask"]]

    rng = random.Random(18)
    generated = [
        (f"{kind} ({length})", make())
        for length in (1000, 4096)
        for kind, make in worst_cases(rng, length).items()
        for _ in range(samples)
    ]
    return asked("corpus/questions.yaml"), asked("heldout/questions.yaml"), generated


def measure(project: Path, samples: int, marked: bool) -> dict[str, object]:
    """In the child: answer the warm-up, then each question once.  Timed, or (`marked`) with a call to getpid
    before each, where callgrind cuts its count, so that each question's instructions come out alone."""
    sys.path.insert(0, str(project))
    from bot.engine import Engine
    from bot.loader import load_bundle

    engine = Engine(load_bundle()[0])
    warm_up, heldout, generated = questions(samples)
    for question in warm_up:  # the per-word caches, as the questions before leave them
        engine.answer(question)
    counted = [0]

    def timed(question: str) -> float:
        if marked:
            os.getpid()
            engine.answer(question)
            return 0.0
        counted[0] += 1
        if counted[0] % 50 == 0:
            gc.collect()  # now and then, between questions
        gc.disable()
        try:
            started = time.perf_counter()
            engine.answer(question)
            return time.perf_counter() - started
        finally:
            gc.enable()

    median = [timed(question) for question in heldout]
    worst = [(kind, timed(question)) for kind, question in generated]
    if marked:
        os.getpid()
    return {"median": median, "worst": worst}


def instructions(project: Path, samples: int) -> dict[str, object]:
    """Run the child under callgrind, cut at each question; each question's instruction count."""
    with tempfile.TemporaryDirectory() as folder:
        child = [sys.executable, __file__, "--child", "--marked", "--project", str(project), "--samples", str(samples)]
        command = ["valgrind", "--tool=callgrind", "--dump-before=getpid", f"--callgrind-out-file={folder}/cg.%p"]
        subprocess.run([*command, *child], cwd=project, capture_output=True, check=True)
        parts = {}
        for path in Path(folder).glob("cg.*.*"):
            total = next(line for line in path.read_text().splitlines() if line.startswith("totals:"))
            parts[int(path.name.rsplit(".", 1)[1])] = int(total.split()[1])
    _, heldout, generated = questions(samples)
    # part 1 is the start and the warm-up; then one part per question, in the order asked
    counts = [parts[number] for number in range(2, 2 + len(heldout) + len(generated))]
    return {
        "median": counts[: len(heldout)],
        "worst": [(kind, count) for (kind, _), count in zip(generated, counts[len(heldout) :], strict=True)],
    }


def report(result: dict[str, object], unit: str, scale: float) -> None:
    median = statistics.median(result["median"])  # type: ignore[arg-type]
    by_kind: dict[str, list[float]] = {}
    for kind, cost in result["worst"]:  # type: ignore[attr-defined]
        by_kind.setdefault(kind, []).append(cost)
    print(f"median held-out question: {median * scale:.2f} {unit}")
    print(f"  {'kind (characters)':<34} {'median':>9} {'slowest':>9}  slowest/median question")
    for kind, costs in sorted(by_kind.items(), key=lambda item: -max(item[1])):
        typical, slowest = statistics.median(costs), max(costs)
        print(f"  {kind:<34} {typical * scale:9.2f} {slowest * scale:9.2f}  {slowest / median:6.1f}×")
    worst_kind = max(statistics.median(costs) for costs in by_kind.values())
    slowest = max(max(costs) for costs in by_kind.values())
    print(f"worst kind's median / median question: {worst_kind / median:.1f}×")
    print(f"slowest single question / median question: {slowest / median:.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="checkout whose engine is measured")
    parser.add_argument("--samples", type=int, default=20, help="generated questions of each kind and length")
    parser.add_argument("--instructions", action="store_true", help="count instructions under callgrind (slow)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--marked", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(args.project, args.samples, args.marked)))
        return
    print(f"project: {args.project}")
    if args.instructions:
        report(instructions(args.project, args.samples), "M instructions", 1e-6)
        return
    child = [sys.executable, __file__, "--child", "--project", str(args.project), "--samples", str(args.samples)]
    result = json.loads(subprocess.run(child, cwd=args.project, capture_output=True, check=True, text=True).stdout)
    report(result, "ms", 1000)


if __name__ == "__main__":
    main()
