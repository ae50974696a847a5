"""The share-your-work modal's submission: errors keep the modal open as typed; success posts and closes it."""
from __future__ import annotations

from typing import Any

from bot.rendering.share import read_share_modal_values
from bot.share.sharing import cohort_id_from, share_work
from handlers.commands.share import SHARE_CALLBACK_ID


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.view(SHARE_CALLBACK_ID)(submit_share)


async def submit_share(ack, body: dict[str, Any], view: dict[str, Any], client, context) -> None:  # type: ignore[no-untyped-def]
    """Posting happens before the ack so a failure can still be shown on the open modal (Slack waits 3 s)."""
    runtime = context["runtime"]
    user = body.get("user") or {}
    outcome = await share_work(
        runtime.db, client,
        team_id=(body.get("team") or {}).get("id") or user.get("team_id") or "",
        cohort_id=cohort_id_from(view.get("private_metadata", "")),
        user_id=user.get("id", ""),
        values=read_share_modal_values((view.get("state") or {}).get("values") or {}),
        view_id=view.get("id", ""),
        now=runtime.clock.now(),
    )
    if outcome.errors:
        await ack(response_action="errors", errors=outcome.errors)
    else:
        await ack()
