"""Buttons of the study groups: "Meeting preferences" (opens the modal) and a zone picked from a short list."""
from __future__ import annotations

import re
from typing import Any

from bot.groups.records import member_of
from bot.groups.zones import zone_from_name
from bot.models import Cohort
from bot.groups import views as render
from handlers.commands.groups import finish_join
from handlers.replies import tell_member


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.action(render.PREFERENCES_ACTION)(open_preferences)
    app.action(re.compile(rf"^{render.ZONE_CHOICE_ACTION}:\d+$"))(choose_zone)


async def open_preferences(ack, body: dict[str, Any], client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    runtime = context["runtime"]
    value = body["actions"][0].get("value", "")
    if not value.isdigit():
        return  # not a button we rendered
    async with runtime.db.session() as session:
        member = await member_of(session, int(value), body["user"]["id"])
    if member is None or member.left_at is not None:
        await tell_member(body, client, respond, f"Join a study group first with `{runtime.settings.command} join`.")
        return
    await client.views_open(trigger_id=body["trigger_id"], view=render.preferences_modal(int(value), member.prefers))


async def choose_zone(ack, body: dict[str, Any], client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    runtime = context["runtime"]
    cohort_text, _, zone_name = body["actions"][0].get("value", "").partition("|")
    try:
        zone = zone_from_name(zone_name)
    except ValueError:
        return  # not a button we rendered
    async with runtime.db.session() as session:
        cohort = await session.get(Cohort, int(cohort_text)) if cohort_text.isdigit() else None
    if cohort is None:
        await respond(text="That cohort no longer exists; nothing was changed.", response_type="ephemeral",
                      replace_original=False)
        return

    async def reply(text: str, blocks: list | None = None) -> None:
        await respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=True)

    await finish_join(runtime, client, cohort.id, body["user"]["id"], zone, reply)
