"""What a flood of made-up questions leaves in memory: `python bench/memory_flood.py [--questions N]`.

Each question is 8 random "words" of 5–30 letters, as an attacker would send
them to fill per-word caches.  Prints the memory tracemalloc sees held by the
engine (its word caches; the answer cache off) after N questions, and by the
grouper that gives stored questions their group (bot/grouping.py) after 3 × N.
Prints numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import random
import tracemalloc

from bot.engine import Engine
from bot.grouping import Grouper
from bot.loader import load_bundle


def made_up_questions(count: int, seed: int) -> list[str]:
    chance = random.Random(seed)

    def word() -> str:
        return "".join(chance.choices("abcdefghijklmnopqrstuvwxyz", k=chance.randint(5, 30)))

    return [" ".join(word() for _ in range(8)) for _ in range(count)]


def held_after(feed: object, questions: list[str]) -> float:
    """MB held after `feed` took every question (what it keeps, not what passing through cost)."""
    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for question in questions:
        feed(question)  # type: ignore[operator]
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()
    return held / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--questions", type=int, default=20_000)
    args = parser.parse_args()
    engine = Engine(load_bundle()[0], answer_cache=0)
    engine_mb = held_after(engine.answer, made_up_questions(args.questions, 1))
    print(f"engine after {args.questions:,} made-up questions: {engine_mb:,.0f} MB held")
    grouper = Grouper()
    grouper_mb = held_after(grouper.key_of, made_up_questions(3 * args.questions, 2))
    print(f"grouper after {3 * args.questions:,} made-up questions: {grouper_mb:,.0f} MB held")


if __name__ == "__main__":
    main()
