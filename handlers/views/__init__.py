"""Modal submission listeners (`view_submission`), one module per feature."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from handlers.views import ama, groups, private_answers, retention, share

LISTENERS = (ama, groups, private_answers, retention, share)


def register(app: AsyncApp, runtime: Runtime) -> None:
    for module in LISTENERS:
        module.register(app, runtime)
