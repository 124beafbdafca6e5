"""Engine benchmarks, run by hand: `python bench/engine_bench.py`.

Prints, on this machine:
* per-question latency (median, p99) over the whole labelled corpus;
* whole-process time of `python -m bot ask "…"` (cold start) and its peak memory;
* the same per-question latency with a generated knowledge file of 1,000 networks;
* the slowest of 300 random 5,000-character messages (issue 5: "well under a second").
Targets (issue 2): median ≤ 0.5 ms, p99 ≤ 2 ms; cold start ≤ 0.3 s; ≤ 60 MB; 1,000 networks median ≤ 2 ms.
"""

from __future__ import annotations

import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.engine import Engine  # noqa: E402
from bot.loader import DEFAULT_INTENTS, DEFAULT_KNOWLEDGE, load_bundle  # noqa: E402
from tests.labelled import load_cases  # noqa: E402


def questions() -> list[str]:
    singles, dialogues = load_cases()
    return [c.question for c in singles] + [t.question for d in dialogues for t in d]


def latency(engine: Engine, asked: list[str], rounds: int = 5) -> tuple[float, float]:
    for question in asked:  # warm caches as a running bot would have them
        engine.answer(question)
    samples = []
    for _ in range(rounds):
        for question in asked:
            start = time.perf_counter()
            engine.answer(question)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99)]


def cold_start(runs: int = 10) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bot", "ask", "Када је Ниш приступио ECAD-у?"],
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - start)
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return statistics.median(times), peak_mb


SYLLABLES = ["ra", "no", "vi", "ka", "le", "mo", "tri", "sta", "gor", "ven", "lu", "pe", "dor", "mir", "zal", "bre"]


def generated_knowledge(count: int, seed: int = 7) -> dict[str, object]:
    """The real six networks plus invented ones with made-up names, acronyms and aliases."""
    rng = random.Random(seed)
    real = yaml.safe_load(DEFAULT_KNOWLEDGE.read_text(encoding="utf-8"))["networks"]
    networks = list(real)
    used: set[str] = set()
    while len(networks) < count:
        words = ["".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(3)]
        acronym = "".join(w[0] for w in words).upper() + str(len(networks))
        if acronym in used:
            continue
        used.add(acronym)
        networks.append(
            {
                "id": f"net-{len(networks)}",
                "name": " ".join(words).capitalize(),
                "acronym": acronym,
                "aliases": [f"{words[0]} {words[1]}"],
                "website": f"https://{words[0]}.example.org",
                "facts": {"about": f"{words[0].capitalize()} је мрежа.", "founded": "Основана је давно."},
                "sources": ["https://example.org/source"],
            }
        )
    return {"networks": networks}


def main() -> None:
    bundle, _ = load_bundle()
    asked = questions()
    median, p99 = latency(Engine(bundle), asked)
    print(f"corpus: {len(asked)} questions, 6 networks")
    print(f"  per question: median {median:.3f} ms, p99 {p99:.3f} ms   (targets 0.5 / 2 ms)")
    print(f"  slowest of 300 random 5,000-character messages: {worst_long_message(Engine(bundle)):.1f} ms")

    started, peak = cold_start()
    print(
        f"  `python -m bot ask` whole process: median {started:.3f} s, peak RSS {peak:.1f} MB   (targets 0.3 s / 60 MB)"
    )

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "networks.yaml"
        path.write_text(yaml.safe_dump(generated_knowledge(1000), allow_unicode=True), encoding="utf-8")
        start = time.perf_counter()
        big, _ = load_bundle(path, DEFAULT_INTENTS)
        engine = Engine(big)
        built = time.perf_counter() - start
        median, p99 = latency(engine, asked, rounds=2)
    print(f"scale: 1,000 networks (load and index {built:.2f} s)")
    print(f"  per question: median {median:.3f} ms, p99 {p99:.3f} ms   (target median 2 ms)")


def worst_long_message(engine: Engine, count: int = 300, length: int = 5000) -> float:
    """Milliseconds for the slowest of `count` random messages of `length` characters."""
    rng = random.Random(5000)
    alphabet = "абвгдђежзијклљмнњопрстћуфхцчџшabcdefghijklmnopqrstuvwxyzčćžšđ      ?.,!-<>&😀ECADNALED"
    words = [w for q in questions() for w in q.split()]
    worst = 0.0
    for index in range(count):
        if index % 2:
            text = "".join(rng.choice(alphabet) for _ in range(length))
        else:
            text = " ".join(rng.choice(words) for _ in range(length // 6))[:length]
        start = time.perf_counter()
        engine.answer(text)
        worst = max(worst, time.perf_counter() - start)
    return worst * 1000


if __name__ == "__main__":
    main()
