"""`/study join`, `/study leave`, `/study group` and `/study admin groups`: parse, call the study
groups' use case, reply with what it returns. A `StudyError` is replied by `/study` itself."""
from __future__ import annotations

from bot.groups import views as render
from bot.groups.admin import admin_groups
from bot.groups.joining import join_from_command
from bot.groups.leaving import leave_from_command
from bot.groups.status import group_status
from bot.retention.views import with_planning_button
from handlers.commands.router import CommandRequest, subcommand


@subcommand("join", "join [time zone]", "Join a study group of people in time zones near yours.", order=20)
async def join_command(request: CommandRequest) -> None:
    reply = await join_from_command(request.runtime.db, request.client, sleep=request.runtime.sleep,
                                    team_id=request.team_id, channel_id=request.channel_id, user_id=request.user_id,
                                    text=request.args, command=request.command)
    await request.reply(**with_planning_button(reply.message, reply.joined))  # "When will you read this week?"


@subcommand("leave", "leave", "Leave your study group (and its channel).", order=21)
async def leave_command(request: CommandRequest) -> None:
    await request.reply(await leave_from_command(
        request.runtime.db, request.client, team_id=request.team_id, channel_id=request.channel_id,
        user_id=request.user_id, command=request.command))


@subcommand("group", "group", "Your study group, its channel and suggested meeting times.", order=22)
async def group_command(request: CommandRequest) -> None:
    await request.reply(**await group_status(
        request.runtime.db, request.client, team_id=request.team_id, channel_id=request.channel_id,
        user_id=request.user_id, command=request.command))


@subcommand("admin groups", render.ADMIN_USAGE, "Form this cohort's study groups now, or merge two groups.",
            organizer=True)
async def admin_groups_command(request: CommandRequest) -> None:
    runtime = request.runtime
    await request.update(**await admin_groups(
        runtime.db, runtime.client_for(request.team_id), organizers=runtime.organizers, sleep=runtime.sleep,
        team_id=request.team_id, channel_id=request.channel_id, user_id=request.user_id,
        args=request.args, command=request.command, show=request.update))
