"""`/study share`: open the share-your-work modal (the submission is handled in handlers/views/share.py)."""
from __future__ import annotations

from bot.cohorts.store import cohort_for_channel
from bot.share.views import render_share_modal
from bot.share.sharing import (
    NO_COHORT,
    chapter_choices,
    modal_metadata,
    no_share_channel,
)
from handlers.commands.router import CommandRequest, subcommand

SHARE_CALLBACK_ID = "share_submit"


@subcommand("share", "share", "Share something you made — it goes to the share channel and the weekly digest.", order=40)
async def open_share_form(request: CommandRequest) -> None:
    async with request.runtime.db.session() as session:
        cohort = await cohort_for_channel(session, request.team_id, request.channel_id)
        if cohort is None:
            await request.reply(NO_COHORT)
            return
        if not cohort.share_channel_id:
            await request.reply(no_share_channel(cohort))
            return
        chapters = await chapter_choices(session, cohort)
    view = render_share_modal(chapters, callback_id=SHARE_CALLBACK_ID, private_metadata=modal_metadata(cohort))
    await request.client.views_open(trigger_id=request.trigger_id, view=view)
