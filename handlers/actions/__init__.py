"""Button and select listeners (`block_actions`), one module per feature."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from handlers.actions import ama, answer_privately, buddies, commitments, groups, privacy, retention, sessions

LISTENERS = (ama, answer_privately, buddies, commitments, groups, privacy, retention, sessions)


def register(app: AsyncApp, runtime: Runtime) -> None:
    for module in LISTENERS:
        module.register(app, runtime)
