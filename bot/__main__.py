"""Entry point for `python -m bot`."""

import gc
import sys

gc.disable()  # what importing makes lives to the end, so collecting on the way is wasted work

from bot.cli import main  # noqa: E402  (after the collector is off)

gc.freeze()  # the modules just imported: the collector need never walk them again
gc.enable()
sys.exit(main())
