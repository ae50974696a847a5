"""Event listeners: one module per event type (the message and reaction listeners fan out to features)."""
from __future__ import annotations

from handlers.events import app_home_opened, message, reactions, workspaces

LISTENERS = (app_home_opened, message, reactions, workspaces)


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    for module in LISTENERS:
        module.register(app, runtime)
