"""Saving the private-answer modal: store the answers, then show what was saved."""
from __future__ import annotations

from bot.questionnaire.private_answers import save_private_modal
from bot.questionnaire.views import PRIVATE_ANSWERS_VIEW, read_private_modal


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.view(PRIVATE_ANSWERS_VIEW)(save_answers)


async def save_answers(ack, body, view, context) -> None:  # type: ignore[no-untyped-def]
    runtime = context["runtime"]
    saved = await save_private_modal(
        runtime.db, team_id=context.team_id or "", user_id=body["user"]["id"], submitted=read_private_modal(view),
        now=runtime.clock.now(), command=runtime.settings.command,
    )
    await ack(response_action="update", view=saved)
