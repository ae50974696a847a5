"""The meeting-preferences modal's submission."""
from __future__ import annotations

from typing import Any

from bot.groups.membership import save_preferences
from bot.groups.views import PREFERENCES_VIEW


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.view(PREFERENCES_VIEW)(save_preferences_submitted)


async def save_preferences_submitted(ack, body: dict[str, Any], view: dict[str, Any], context) -> None:  # type: ignore[no-untyped-def]
    runtime = context["runtime"]
    errors = await save_preferences(runtime.db, context.team_id or "", view, body["user"]["id"],
                                    runtime.settings.command)
    if errors is None:
        await ack()
    else:
        await ack(response_action="errors", errors=errors)
