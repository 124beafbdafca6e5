"""How much memory one web conversation holds, for the limits in bot/memory.py.

Runs a short dialogue to get a real state, then fills `Conversations` with
conversations that each got more answers than are kept, and prints the bytes
per conversation that tracemalloc sees, for the kept-answers figure in use and
for a few others.  Run: `python bench/conversation_memory.py`.
"""

from __future__ import annotations

import argparse
import copy
import tempfile
import tracemalloc
from pathlib import Path

import bot.memory as conversations
from bot.engine import DialogueState
from bot.loader import DEFAULT_INTENTS, DEFAULT_KNOWLEDGE
from bot.memory import Conversations, Given
from bot.reloader import LiveKnowledge

DIALOGUE = ["шта је ЕКАД", "kad je nis usao u eurocities", "a koliko clanova ima", "koje mreze", "ko vodi naled"]


def bytes_per_conversation(state: DialogueState, kept: int, count: int) -> float:
    conversations.ANSWERS_KEPT = kept
    tracemalloc.start()
    held = Conversations(3600, limit=count * 2)
    before = tracemalloc.get_traced_memory()[0]
    for _ in range(count):
        conversation, _ = held.get(None)
        for _ in range(kept + 5):
            held.remember(conversation, copy.deepcopy(state), Given("about", "ecad"))
    after = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    return (after - before) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=1000)
    args = parser.parse_args()
    in_use = conversations.ANSWERS_KEPT
    engine = LiveKnowledge(DEFAULT_KNOWLEDGE, DEFAULT_INTENTS, Path(tempfile.mkdtemp()) / "models").engine
    state = DialogueState()
    for question in DIALOGUE:
        state = engine.answer(question, state).state
    for kept in sorted({1, in_use, 20}):
        size = bytes_per_conversation(state, kept, args.conversations)
        limit = conversations.MAX_CONVERSATIONS
        mark = "  (in use)" if kept == in_use else ""
        print(
            f"answers kept {kept:>2}: {size:,.0f} B per conversation, {size * limit / 1e6:,.0f} MB at {limit:,}{mark}"
        )


if __name__ == "__main__":
    main()
