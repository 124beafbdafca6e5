"""What the worst question costs against the median one: `python bench/worst_case.py [--project DIR]`.

The median is taken over the held-out questions (each asked once, in a new
conversation, the engine's answer cache off).  The worst cases are generated,
new every time so that no per-word cache helps: up to the 1,000 characters the
engine reads (and the 4,096 a Telegram message can hold) of random words in
either script, of near-names of our networks, of clauses and question words,
of courtesy, of capitalised unknown names after `Да ли је Ниш члан`, one
endless word, digits.  Prints the median, each kind's slowest, and the ratio of
the slowest to the median (issue 18's target: at most 10×).  `--project` runs
an older checkout's engine in a child process instead.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
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


def measure(project: Path, samples: int) -> dict[str, object]:
    sys.path.insert(0, str(project))
    import yaml

    from bot.engine import Engine
    from bot.loader import load_bundle

    engine = Engine(load_bundle()[0])
    document = yaml.safe_load((ROOT / "tests" / "heldout" / "questions.yaml").read_text(encoding="utf-8"))
    heldout = [q for item in document["questions"] for q in item["ask"]]
    for question in heldout:  # warm the per-word caches the way a running bot has them
        engine.answer(question)
    times = []
    for question in heldout:
        started = time.perf_counter()
        engine.answer(question)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    rng = random.Random(18)
    slowest: dict[str, float] = {}
    for length in (1000, 4096):
        for kind, make in worst_cases(rng, length).items():
            worst = 0.0
            for _ in range(samples):
                question = make()
                started = time.perf_counter()
                engine.answer(question)
                worst = max(worst, time.perf_counter() - started)
            slowest[f"{kind} ({length})"] = worst
    return {"median": median, "slowest": slowest}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--project", type=Path, default=ROOT, help="checkout whose engine is measured")
    parser.add_argument("--samples", type=int, default=20, help="generated questions of each kind and length")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # the child's output
    args = parser.parse_args()
    if args.json:
        print(json.dumps(measure(args.project, args.samples)))
        return
    child = [sys.executable, __file__, "--json", "--project", str(args.project), "--samples", str(args.samples)]
    result = json.loads(subprocess.run(child, cwd=args.project, capture_output=True, check=True, text=True).stdout)
    median = result["median"]
    print(f"project: {args.project}")
    print(f"median held-out question: {median * 1000:.2f} ms")
    for kind, seconds in sorted(result["slowest"].items(), key=lambda item: -item[1]):
        print(f"  slowest {kind:<32} {seconds * 1000:8.2f} ms  {seconds / median:6.1f}×")
    worst = max(result["slowest"].values())
    print(f"worst / median: {worst / median:.1f}×")


if __name__ == "__main__":
    main()
