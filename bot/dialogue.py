"""What a conversation remembers between messages (`DialogueState`).

Its own module, below both `answering`, which writes the next state, and
`storage`, which keeps it: neither need import the other for it.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.script import Script


@dataclass(frozen=True)
class DialogueState:
    """What a conversation remembers between messages."""

    network: str | None = None
    intent: str | None = None
    script: Script = Script.CYRILLIC
    listed: tuple[str, ...] = ()  # the networks of the last list answered (`а која је од њих старија?`)
