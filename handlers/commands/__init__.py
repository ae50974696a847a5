"""The slash command (`/study` by default) and its subcommands, one module each.

`study.py` acks and dispatches; every other module declares subcommands with
`@subcommand(...)` from `router.py`.
"""
from __future__ import annotations

import sys

from bot.discovery import import_all


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    from handlers.commands import study

    import_all(sys.modules[__name__])
    study.register(app, runtime)
