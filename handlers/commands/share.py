"""`/study share`: open the share-your-work modal (the submission is handled in handlers/views/share.py)."""
from __future__ import annotations

from bot.share.sharing import share_modal
from handlers.commands.router import CommandRequest, subcommand


@subcommand("share", "share", "Share something you made — it goes to the share channel and the weekly digest.",
            order=40)
async def open_share_form(request: CommandRequest) -> None:
    view = await share_modal(request.runtime.db, team_id=request.team_id, channel_id=request.channel_id,
                             user_id=request.user_id, command=request.command)
    await request.client.views_open(trigger_id=request.trigger_id, view=view)
