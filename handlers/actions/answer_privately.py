"""The "Answer privately" button on a prompt: open the chapter's private-answer modal."""
from __future__ import annotations

from bot.questionnaire.member import MemberError, private_modal, team_of
from bot.questionnaire.views import ANSWER_PRIVATELY_ACTION
from handlers.replies import tell_member


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.action(ANSWER_PRIVATELY_ACTION)(answer_privately)


async def answer_privately(ack, body, client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    runtime = context["runtime"]
    try:
        cohort_id, chapter, position = (int(part) for part in body["actions"][0]["value"].split(":"))
    except (KeyError, IndexError, ValueError):
        return  # not a button we rendered
    try:
        view = await private_modal(
            runtime.db, team_id=team_of(body), user_id=body["user"]["id"], now=runtime.clock.now(),
            cohort_id=cohort_id, chapter=chapter, focus=position,
        )
    except MemberError as error:
        await tell_member(body, client, respond, str(error))
        return
    await client.views_open(trigger_id=body["trigger_id"], view=view)
