"""Buttons of the study groups: "Meeting preferences" (opens the modal), a zone picked from a short list, and
*Form groups* under an organizer's preview."""
from __future__ import annotations

import re
from typing import Any

from bot.errors import StudyError
from bot.groups import views as render
from bot.groups.admin import form_after_preview
from bot.groups.joining import join_with_chosen_zone
from bot.groups.membership import preferences_modal_for
from bot.groups.moving import move_member
from bot.retention.views import with_planning_button
from handlers.replies import tell_member


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.action(render.PREFERENCES_ACTION)(open_preferences)
    app.action(re.compile(rf"^{render.ZONE_CHOICE_ACTION}:\d+$"))(choose_zone)
    app.action(render.MOVE_ACTION)(move_to_group)
    app.action(render.FORM_GROUPS_ACTION)(form_groups)


async def open_preferences(ack, body: dict[str, Any], client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    runtime = context["runtime"]
    try:
        modal = await preferences_modal_for(runtime.db, context.team_id or "", body["actions"][0].get("value", ""),
                                            body["user"]["id"], runtime.settings.command)
    except StudyError as error:
        await tell_member(body, client, respond, str(error))
        return
    if modal is not None:
        await client.views_open(trigger_id=body["trigger_id"], view=modal)


async def choose_zone(ack, body: dict[str, Any], client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    try:
        runtime = context["runtime"]
        reply = await join_with_chosen_zone(runtime, client, team_id=context.team_id or "", user_id=body["user"]["id"],
                                            value=body["actions"][0].get("value", ""), command=runtime.settings.command)
    except StudyError as error:
        await respond(text=str(error), response_type="ephemeral", replace_original=False)
        return
    if reply is not None:
        await respond(**with_planning_button(reply.message, reply.joined), response_type="ephemeral",
                      replace_original=True)


async def move_to_group(ack, body: dict[str, Any], client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    try:
        text = await move_member(context["runtime"], client, team_id=context.team_id or "",
                                 user_id=body["user"]["id"], value=body["actions"][0].get("value", ""))
    except StudyError as error:
        text = str(error)
    await respond(text=text, response_type="ephemeral", replace_original=False)


async def form_groups(ack, body: dict[str, Any], context, respond) -> None:  # type: ignore[no-untyped-def]
    """The preview message becomes the progress note, then the outcome: one message, updated in place."""
    await ack()

    async def show(text: str) -> None:
        await respond(text=text, response_type="ephemeral", replace_original=True)

    try:
        outcome = await form_after_preview(context["runtime"], team_id=context.team_id or "",
                                           user_id=body["user"]["id"], value=body["actions"][0].get("value", ""),
                                           show=show)
    except StudyError as error:
        outcome = {"text": str(error)}
    await respond(**outcome, response_type="ephemeral", replace_original=True)
