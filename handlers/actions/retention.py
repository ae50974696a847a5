"""Buttons of "keeping people in the group": open the planning modal; answer a nudge; undo a pause or opt-out."""
from __future__ import annotations

from typing import Any

from bot.errors import StudyError
from bot.retention import views
from bot.retention.nudges import answer_nudge
from bot.retention.planning import open_planning
from handlers.replies import tell_member

NUDGE_ACTIONS = (views.NUDGE_IN_ACTION, views.NUDGE_PAUSE_ACTION, views.NUDGE_STOP_ACTION, views.NUDGES_RESUME_ACTION)


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.action(views.PLAN_OPEN_ACTION)(plan)
    for action_id in NUDGE_ACTIONS:
        app.action(action_id)(answer)


async def plan(ack, body: dict[str, Any], client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    runtime = context["runtime"]
    try:
        modal = await open_planning(runtime.db, context.team_id or "", body["actions"][0].get("value", ""),
                                    body["user"]["id"], runtime.clock.now())
    except StudyError as error:
        await tell_member(body, client, respond, str(error))
        return
    await client.views_open(trigger_id=body["trigger_id"], view=modal)


async def answer(ack, body: dict[str, Any], client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    runtime = context["runtime"]
    action = body["actions"][0]
    text = await answer_nudge(runtime.db, context.team_id or "", action["action_id"], action.get("value", ""),
                              body["user"]["id"], runtime.clock.now())
    await tell_member(body, client, respond, text)
