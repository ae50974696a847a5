"""Saving the private-answer modal: store the answers, then show what was saved."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.questionnaire.private_answers import save_private_modal
from bot.questionnaire.views import PRIVATE_ANSWERS_VIEW, read_private_modal
from bot.runtime import Runtime
from handlers.requests import ViewSubmission, submission


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.view(PRIVATE_ANSWERS_VIEW)(save_answers)


@submission()
async def save_answers(submitted: ViewSubmission) -> None:
    saved = await save_private_modal(
        submitted.runtime.db, team_id=submitted.team_id, user_id=submitted.user_id,
        submitted=read_private_modal(submitted.view), now=submitted.now, command=submitted.runtime.settings.command,
    )
    await submitted.show(saved)
