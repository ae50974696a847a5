"""The planning modal's submission: save the choice, close the modal, confirm by DM."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.retention import views
from bot.retention.planning import save_plan
from bot.runtime import Runtime
from handlers.requests import ViewSubmission, submission, under


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.view(views.PLAN_CALLBACK_ID)(submit_plan)


@submission(refusal=under(views.PLAN_BLOCK))
async def submit_plan(submitted: ViewSubmission) -> None:
    choice, session_reminder = views.read_plan_submission(submitted.values)
    text = await save_plan(submitted.runtime.db, submitted.team_id, submitted.private_metadata, submitted.user_id,
                           choice, session_reminder, submitted.now)
    await submitted.close()
    await submitted.tell(text)
