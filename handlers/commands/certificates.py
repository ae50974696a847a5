"""`/study certificate name off|on` (a member's name on their public page), `/study admin certificates`."""
from __future__ import annotations

from bot.completion.certificates import admin_certificates, certificate_name_command
from handlers.commands.router import CommandRequest, subcommand


@subcommand("certificate", "certificate name off|on",
            "Hide or show your name on your certificate's public page.", order=40)
async def certificate(request: CommandRequest) -> None:
    await request.reply(await certificate_name_command(request.runtime.db, team_id=request.team_id,
                                                       user_id=request.user_id, args=request.args,
                                                       command=request.command))


@subcommand("admin certificates", "admin certificates",
            "Certificates issued, revoked, and members meeting the rule without one yet.", organizer=True)
async def admin_certificates_summary(request: CommandRequest) -> None:
    runtime = request.runtime
    await request.reply(await admin_certificates(runtime.db, organizers=runtime.organizers, team_id=request.team_id,
                                                 user_id=request.user_id, channel_id=request.channel_id,
                                                 command=request.command))
