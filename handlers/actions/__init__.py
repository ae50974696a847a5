"""Button and select listeners (`block_actions`), one module per feature."""
from __future__ import annotations

from handlers.actions import ama, answer_privately, groups, privacy, retention

LISTENERS = (ama, answer_privately, groups, privacy, retention)


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    for module in LISTENERS:
        module.register(app, runtime)
