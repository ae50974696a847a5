"""Buttons of the study groups: "Meeting preferences" (opens the modal), a zone picked from a short list, and
*Form groups* under an organizer's preview."""
from __future__ import annotations

import re

from slack_bolt.async_app import AsyncApp

from bot.groups import views as render
from bot.groups.admin import form_after_preview
from bot.groups.joining import join_with_chosen_zone
from bot.groups.membership import preferences_modal_for
from bot.groups.moving import move_member
from bot.retention.views import with_planning_button
from bot.runtime import Runtime
from handlers.requests import ActionRequest, action


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.action(render.PREFERENCES_ACTION)(open_preferences)
    app.action(re.compile(rf"^{render.ZONE_CHOICE_ACTION}:\d+$"))(choose_zone)
    app.action(render.MOVE_ACTION)(move_to_group)
    app.action(render.FORM_GROUPS_ACTION)(form_groups)


@action()
async def open_preferences(request: ActionRequest) -> None:
    runtime = request.runtime
    modal = await preferences_modal_for(runtime.db, request.team_id, request.value, request.user_id,
                                        runtime.settings.command)
    if modal is not None:
        await request.open(modal)


@action(on_error=ActionRequest.reply)
async def choose_zone(request: ActionRequest) -> None:
    runtime = request.runtime
    reply = await join_with_chosen_zone(runtime.db, request.client, sleep=runtime.sleep, team_id=request.team_id,
                                        user_id=request.user_id, value=request.value, command=runtime.settings.command)
    if reply is not None:
        await request.update(**with_planning_button(reply.message, reply.joined))


@action(on_error=ActionRequest.reply)
async def move_to_group(request: ActionRequest) -> None:
    await request.reply(await move_member(request.runtime.db, request.client, sleep=request.runtime.sleep,
                                          team_id=request.team_id, user_id=request.user_id, value=request.value))


@action(on_error=ActionRequest.update)
async def form_groups(request: ActionRequest) -> None:
    """The preview message becomes the progress note, then the outcome: one message, updated in place."""
    runtime = request.runtime
    outcome = await form_after_preview(runtime.db, runtime.client_for(request.team_id), organizers=runtime.organizers,
                                       sleep=runtime.sleep, team_id=request.team_id, user_id=request.user_id,
                                       value=request.value, show=request.update)
    await request.update(**outcome)
