"""The planning modal's submission: save the choice, close the modal, confirm by DM."""
from __future__ import annotations

from typing import Any

from bot.errors import StudyError
from bot.retention import views
from bot.retention.planning import save_plan


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.view(views.PLAN_CALLBACK_ID)(submit_plan)


async def submit_plan(ack, body: dict[str, Any], view: dict[str, Any], client, context) -> None:  # type: ignore[no-untyped-def]
    runtime = context["runtime"]
    user_id = body["user"]["id"]
    choice, session_reminder = views.read_plan_submission((view.get("state") or {}).get("values") or {})
    try:
        text = await save_plan(runtime.db, context.team_id or "", view.get("private_metadata", ""), user_id,
                               choice, session_reminder, runtime.clock.now())
    except StudyError as error:
        await ack(response_action="errors", errors={views.PLAN_BLOCK: str(error)})
        return
    await ack()
    await client.chat_postMessage(channel=user_id, text=text)
