"""The "Answer privately" button on a prompt: open the chapter's private-answer modal."""
from __future__ import annotations

from bot.errors import StudyError
from bot.questionnaire.member import private_modal
from bot.questionnaire.views import ANSWER_PRIVATELY_ACTION, read_answer_button
from handlers.replies import tell_member


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.action(ANSWER_PRIVATELY_ACTION)(answer_privately)


async def answer_privately(ack, body, client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    target = read_answer_button(body)
    if target is None:
        return  # not a button we rendered
    runtime = context["runtime"]
    try:
        view = await private_modal(
            runtime.db, team_id=context.team_id or "", user_id=body["user"]["id"], now=runtime.clock.now(),
            command=runtime.settings.command, cohort_id=target.cohort_id, chapter=target.chapter,
            focus=target.position,
        )
    except StudyError as error:
        await tell_member(body, client, respond, str(error))
        return
    await client.views_open(trigger_id=body["trigger_id"], view=view)
