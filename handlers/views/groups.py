"""The meeting-preferences modal's submission."""
from __future__ import annotations

from typing import Any

from bot.groups.membership import set_preferences
from bot.groups.views import PREFERENCES_VIEW


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.view(PREFERENCES_VIEW)(save_preferences)


async def save_preferences(ack, body: dict[str, Any], view: dict[str, Any], context) -> None:  # type: ignore[no-untyped-def]
    runtime = context["runtime"]
    values = (view.get("state") or {}).get("values") or {}
    chosen = [
        option.get("value", "")
        for block in ("days", "times")
        for option in ((values.get(block) or {}).get(block) or {}).get("selected_options") or []
    ]
    metadata = view.get("private_metadata", "")
    saved = False
    if metadata.isdigit():
        async with runtime.db.session() as session:
            saved = await set_preferences(session, int(metadata), body["user"]["id"], chosen)
    if saved:
        await ack()
    else:
        await ack(response_action="errors",
                  errors={"days": f"Join a study group first with {runtime.settings.command} join."})
