"""Buttons of "keeping people in the group": open the planning modal; answer a nudge; undo a pause or opt-out."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.retention import views
from bot.retention.nudges import answer_nudge
from bot.retention.planning import open_planning
from bot.runtime import Runtime
from handlers.requests import ActionRequest, action

NUDGE_ACTIONS = (views.NUDGE_IN_ACTION, views.NUDGE_PAUSE_ACTION, views.NUDGE_STOP_ACTION, views.NUDGES_RESUME_ACTION)


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.action(views.PLAN_OPEN_ACTION)(plan)
    for action_id in NUDGE_ACTIONS:
        app.action(action_id)(answer)


@action()
async def plan(request: ActionRequest) -> None:
    modal = await open_planning(request.runtime.db, request.team_id, request.value, request.user_id, request.now)
    await request.open(modal)


@action()
async def answer(request: ActionRequest) -> None:
    await request.tell(await answer_nudge(request.runtime.db, request.team_id, request.action["action_id"],
                                          request.value, request.user_id, request.now))
