"""The slash command (`/study` by default) and its subcommands.

`study.py` acks and dispatches; each module in `SUBCOMMAND_MODULES` declares its
subcommands with `@subcommand(...)` from `router.py` when it is imported.
"""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from handlers.commands import (
    admin,
    ama,
    answer_privately,
    buddies,
    certificates,
    commitments,
    completion,
    feeds,
    groups,
    help,
    my_answers,
    privacy,
    progress,
    recordings,
    retention,
    share,
    study,
)


def register(app: AsyncApp, runtime: Runtime) -> None:
    study.register(app, runtime)

SUBCOMMAND_MODULES = (admin, ama, answer_privately, buddies, certificates, commitments, completion, feeds, groups, help,
                      my_answers, privacy, progress, retention, share, recordings)
