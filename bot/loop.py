"""The event loop the servers run on: uvloop where it is installed (not on Windows), asyncio's own elsewhere."""

from __future__ import annotations

import asyncio


def use_uvloop() -> None:
    """uvloop roughly halves the event loop's share of each update (bench/telegram_load.py); optional."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - not on every platform
        return
    asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
