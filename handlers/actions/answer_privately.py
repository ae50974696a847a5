"""The "Answer privately" button on a prompt: open the chapter's private-answer modal."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.questionnaire.member import private_modal
from bot.questionnaire.views import ANSWER_PRIVATELY_ACTION, read_answer_button
from bot.runtime import Runtime
from handlers.requests import ActionRequest, action


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.action(ANSWER_PRIVATELY_ACTION)(answer_privately)


@action()
async def answer_privately(request: ActionRequest) -> None:
    target = read_answer_button(request.body)
    if target is None:
        return  # not a button we rendered
    runtime = request.runtime
    view = await private_modal(
        runtime.db, team_id=request.team_id, user_id=request.user_id, now=request.now,
        command=runtime.settings.command, cohort_id=target.cohort_id, chapter=target.chapter,
        focus=target.position,
    )
    await request.open(view)
