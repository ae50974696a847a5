"""`/study join [zone]`, `/study leave`, `/study group`, and `/study admin groups …` for organizers."""
from __future__ import annotations

from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy import select

from bot.cohorts.store import active_cohorts, cohort_for_channel
from bot.groups import service
from bot.groups.membership import join
from bot.groups.records import GroupsError, form_at, formation_of, member_of, members_of_group, zone_of
from bot.groups.zones import AmbiguousZone, Zone, ZoneError, fixed_offset_name, parse_zone, zone_from_name
from bot.models import Cohort
from bot.models.groups import GroupMember, StudyGroup
from bot.organizers import REFUSAL
from bot.groups import views as render
from bot.runtime import Runtime
from bot.retention.views import with_planning_button
from handlers.commands.router import CommandRequest, split, subcommand

ADMIN_USAGE = "admin groups form [--min N] [--max N] | merge <group> <into group>"
NO_PROFILE_ZONE = ("Your Slack profile has no time zone, so tell me yours: `{command} join Lisbon`,"
                   " `{command} join Asia/Kolkata` or `{command} join UTC+5:30`.")


async def cohort_for(request: CommandRequest) -> Cohort | None:
    """The channel's cohort (or the only one); from a group channel or a DM, the member's own cohort."""
    async with request.runtime.db.session() as session:
        cohort = await cohort_for_channel(session, request.team_id, request.channel_id)
        if cohort is not None:
            return cohort
        group = await session.scalar(select(StudyGroup).where(
            StudyGroup.team_id == request.team_id, StudyGroup.channel_id == request.channel_id))
        if group is not None:
            return await session.get(Cohort, group.cohort_id)
        cohort_ids = set(await session.scalars(select(GroupMember.cohort_id).where(
            GroupMember.team_id == request.team_id, GroupMember.user_id == request.user_id,
            GroupMember.left_at.is_(None))))
        return await session.get(Cohort, cohort_ids.pop()) if len(cohort_ids) == 1 else None


async def no_cohort_reply(request: CommandRequest) -> None:
    async with request.runtime.db.session() as session:
        cohorts = await active_cohorts(session, request.team_id)
    if not cohorts:
        await request.reply("There's no study cohort here yet — an organizer creates one first. Nothing was changed.")
        return
    names = ", ".join(c.name for c in cohorts[:10])
    await request.reply(f"There are several cohorts ({names}): run `{request.command} {request.name}` in your"
                        " cohort's channel so I know which one you mean. Nothing was changed.")


# --- join --------------------------------------------------------------------------


@subcommand("join", "join [time zone]", "Join a study group of people in time zones near yours.", order=20)
async def join_command(request: CommandRequest) -> None:
    async with request.runtime.db.session() as session:
        cohort = await cohort_for_channel(session, request.team_id, request.channel_id)
    if cohort is None:
        await no_cohort_reply(request)
        return
    if request.args:
        parsed = parse_zone(request.args)
    else:
        parsed = await profile_zone(request.client, request.user_id)
        if parsed is None:
            await request.reply(NO_PROFILE_ZONE.format(command=request.command))
            return
    if isinstance(parsed, AmbiguousZone):
        await request.reply(**render.zone_choices(parsed.message, [z.name for z in parsed.choices], cohort.id))
        return
    if isinstance(parsed, ZoneError):
        await request.reply(parsed.message + " Nothing was changed.")
        return
    await finish_join(request.runtime, request.client, cohort.id, request.user_id, parsed, request.reply)


async def profile_zone(client: Any, user_id: str) -> Zone | None:
    """The IANA zone of the member's Slack profile (`users.info` → `tz`), None when there is none."""
    try:
        user = (await client.users_info(user=user_id))["user"]
    except SlackApiError:
        return None
    try:
        return zone_from_name(user.get("tz") or "")
    except ValueError:
        return None


async def finish_join(runtime: Runtime, client: Any, cohort_id: int, user_id: str, zone: Zone, reply: Any) -> None:
    """Sign up, place after formation, and tell the member their zone, offset and group (or when groups form)."""
    now = runtime.clock.now()
    async with runtime.db.session() as session:
        cohort = await session.get(Cohort, cohort_id)
        joined = await join(session, cohort, user_id, zone, now)
        formed = await formation_of(session, cohort_id) is not None
    placement = await service.place(runtime.db, client, cohort_id, user_id, now, sleep=runtime.sleep) if formed else None
    described = f"*{zone.name}* — {fixed_offset_name(zone.offset_minutes(now))} right now"
    if joined.first_time or joined.rejoined:
        headline = f"You've joined the study groups of *{cohort.name}*. Your time zone: {described}."
    elif joined.zone_changed:
        headline = f"Updated: your time zone is now {described}."
    else:
        headline = f"You had already joined *{cohort.name}*, with the time zone {described}. Nothing changed."
    await reply(**with_planning_button(render.join_reply(headline, [_where(cohort, placement, now)], cohort.id),
                                       cohort.id))  # issue 12: "When will you read this week?"


def _where(cohort: Cohort, placement: service.Placement | None, now: Any) -> str:
    if placement is None:
        when = form_at(cohort)
        if when <= now:
            return "Groups are being formed right now; you'll be invited to your group's private channel shortly."
        return (f"Groups will be formed {render.when_text(when)}; you'll be invited to your group's"
                " private channel then.")
    if placement.group is None:
        return ("No group with room is within 3 hours of your time zone, so you're on the waiting list: a new"
                " group is formed as soon as enough people near you join. I'll invite you then.")
    channel = f"<#{placement.group.channel_id}>" if placement.group.channel_id else f"#{placement.group.name}"
    if placement.channel_pending:
        return f"You're in the group {channel}; the invitation to its channel follows in a few minutes."
    return f"You're in the group {channel} — you've been invited to its private channel."


# --- leave and group ------------------------------------------------------------------


@subcommand("leave", "leave", "Leave your study group (and its channel).", order=21)
async def leave_command(request: CommandRequest) -> None:
    cohort = await cohort_for(request)
    if cohort is None:
        await no_cohort_reply(request)
        return
    gone = await service.leave(request.runtime.db, request.client, cohort.id, request.user_id, request.now)
    await request.reply(_departure_text(gone, request.command))


def _departure_text(gone: service.Departure, command: str) -> str:
    if gone.was in ("not_joined", "already_left"):
        return f"You're not in a study group, so there's nothing to leave. `{command} join` signs you up."
    if gone.was == "signed_up":
        return f"Done: you won't be put in a group when groups are formed. `{command} join` signs you up again."
    if gone.was == "waiting":
        return f"You weren't in a group yet; I've taken you off the waiting list. `{command} join` to come back."
    text = f"You've left #{gone.group_name}."
    if gone.kick_error:
        text += f" I couldn't remove you from <#{gone.channel_id}> ({gone.kick_error}); leave it with `/leave` there."
    return text + f" `{command} join` puts you in a group again."


@subcommand("group", "group", "Your study group, its channel and suggested meeting times.", order=22)
async def group_command(request: CommandRequest) -> None:
    cohort = await cohort_for(request)
    if cohort is None:
        await no_cohort_reply(request)
        return
    now = request.now
    async with request.runtime.db.session() as session:
        member = await member_of(session, cohort.id, request.user_id)
        formed = await formation_of(session, cohort.id) is not None
        group = await session.get(StudyGroup, member.group_id) if member and member.group_id else None
        if group is not None:
            members = await members_of_group(session, group.id)
    if member is None or member.left_at is not None:
        await request.reply(f"You haven't joined a study group of *{cohort.name}*. `{request.command} join` signs you up.")
    elif group is None and not formed:
        await request.reply(f"You've joined ({zone_of(member).describe(now)}). Groups will be formed"
                            f" {render.when_text(form_at(cohort))}.")
    elif group is None:
        await request.reply("You're on the waiting list: no group with room is near your time zone yet."
                            " A new group is formed as soon as enough people near you join.")
    else:
        await request.reply(**render.group_card(group.name, group.channel_id, service.member_lines(members, now),
                                                service.slots_for(members, now)))


# --- organizers ----------------------------------------------------------------------


@subcommand("admin groups", ADMIN_USAGE, "Form this cohort's study groups now, or merge two groups.", organizer=True)
async def admin_groups(request: CommandRequest) -> None:
    cohort = await cohort_for(request)
    if cohort is None:
        await no_cohort_reply(request)
        return
    if not await request.runtime.organizers.allows(request.team_id, request.user_id, cohort):
        await request.reply(REFUSAL)
        return
    action, rest = split(request.args)
    runtime, client = request.runtime, request.runtime.client_for(cohort.team_id)
    try:
        if action == "form":
            low, high = parse_bounds(rest)
            await request.reply("Forming groups and setting up their channels… I'll report here when done.")
            report = await service.form(runtime.db, client, cohort.id, request.now, sleep=runtime.sleep,
                                        min_size=low, max_size=high)
            await request.reply(**render.organizer_note(report.lines()))
        elif action == "merge":
            names = rest.split()
            if len(names) != 2:
                raise GroupsError(f"Name two groups: `{request.command} admin groups merge <group> <into group>`.")
            merged = await service.merge(runtime.db, client, cohort.id, names[0], names[1], request.now,
                                         sleep=runtime.sleep)
            await request.reply(merge_text(merged))
        else:
            await request.reply(f"Usage: `{request.command} {ADMIN_USAGE}`")
    except GroupsError as error:
        await request.reply(str(error))


def parse_bounds(text: str) -> tuple[int | None, int | None]:
    """`--min 4 --max 8` (either optional)."""
    words, bounds = text.split(), {"--min": None, "--max": None}
    if len(words) % 2:
        raise GroupsError("Expected `--min N` and/or `--max N`, e.g. `form --min 4 --max 8`. Nothing was changed.")
    for flag, value in zip(words[::2], words[1::2]):
        if flag not in bounds or not value.isdigit():
            raise GroupsError("Expected `--min N` and/or `--max N`, e.g. `form --min 4 --max 8`. Nothing was changed.")
        bounds[flag] = int(value)
    return bounds["--min"], bounds["--max"]


def merge_text(merged: service.MergeReport) -> str:
    text = (f"Merged #{merged.mover} into <#{merged.keeper_channel}>: {len(merged.moved)} member(s) invited;"
            f" #{merged.mover} got a pointer and is archived. The group now has {merged.size} members.")
    if merged.over_max:
        text += " That is more than the cohort's maximum group size — fine if you meant it."
    return text
