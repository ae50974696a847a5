"""Actions listeners: one callback per module, each with `register(app, runtime)`."""
from __future__ import annotations

import sys

from bot.discovery import register_all


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    register_all(sys.modules[__name__], app, runtime)
