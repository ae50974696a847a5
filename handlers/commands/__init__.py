"""The slash command (`/study` by default) and its subcommands.

`study.py` acks and dispatches; each module in `SUBCOMMAND_MODULES` declares its
subcommands with `@subcommand(...)` from `router.py` when it is imported.
"""
from __future__ import annotations

from handlers.commands import (
    admin,
    ama,
    answer_privately,
    groups,
    help,
    my_answers,
    privacy,
    progress,
    retention,
    share,
    study,
)

SUBCOMMAND_MODULES = (admin, ama, answer_privately, groups, help, my_answers, privacy, progress, retention, share)


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    study.register(app, runtime)
