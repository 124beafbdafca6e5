"""The console as a channel: `python -m bot ask` (single questions) and `chat` (a conversation).

`chat` goes through the same door as Telegram and the web page (bot/conversation.py),
its conversation kept in this process and nothing stored: staff try things out here.
`ask` answers each line on its own, with no conversation.  Both print the answer
text (with the suggestions to press), or one JSON object per answer.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from bot.engine import Answer, Engine
from bot.exit_codes import EXIT_OK
from bot.text import clean


def ask(engine: Engine, words: list[str], as_json: bool, stream: TextIO) -> int:
    """Answer `words` as one question, or else each line of `stream` on its own."""
    if words:
        _print_answer(engine.answer(clean(" ".join(words))), as_json)
        return EXIT_OK
    for index, line in enumerate(_lines(stream)):
        if not as_json and index:
            print()
        _print_answer(engine.answer(clean(line)), as_json)
    return EXIT_OK


def chat(engine: Engine, stream: TextIO, as_json: bool, memory_minutes: int) -> int:
    """The console as a channel: through the same door as Telegram and the web (bot/conversation.py), with its
    conversation in this process and nothing stored (staff try things out here)."""
    from bot.conversation import Door, Fixed
    from bot.memory import Conversations
    from bot.recording import CONSOLE, Recorder, Stats

    door = Door(CONSOLE, Fixed(engine), Conversations(memory_minutes * 60), Recorder(Stats(), None))
    conversation: str | None = None
    interactive = stream.isatty() and not as_json
    if interactive:
        print("Асистент Града Ниша за мреже градова. Питајте ћирилицом или латиницом; Ctrl-D за крај.\n")
    try:
        for line in _lines(stream, prompt="› " if interactive else None):
            turn = door.ask(conversation, line)
            answer, conversation = turn.answer, turn.conversation
            _print_answer(answer, as_json)
            if interactive:
                print()
    except KeyboardInterrupt:
        print()
    return EXIT_OK


def _print_answer(answer: Answer, as_json: bool) -> None:
    if as_json:
        import json  # here: the plain answer, the common case, starts without it

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
