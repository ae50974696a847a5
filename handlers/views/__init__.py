"""Modal submission listeners (`view_submission`), one module per feature."""
from __future__ import annotations

from handlers.views import ama, groups, private_answers, retention, share

LISTENERS = (ama, groups, private_answers, retention, share)


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    for module in LISTENERS:
        module.register(app, runtime)
