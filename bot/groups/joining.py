"""`/study join`: sign up with a time zone, and — once groups exist — be placed in the nearest
group with room, or on the waiting list from which new groups form as people near you join."""
from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.zones import AmbiguousZone, Zone, ZoneError, ZoneReading, read_zone, zone_from_name
from bot.clock import Sleep
from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.groups import views as render
from bot.groups.formation import plan_from_waiting
from bot.groups.membership import join
from bot.groups.moving import move_offer
from bot.groups.placement import GroupState, place_late_joiner
from bot.groups.provisioning import invite_now, materialize_pending
from bot.groups.records import (
    LATE_JOIN_DISTANCE,
    GroupsError,
    as_member,
    center_now,
    cohort_of,
    form_at,
    formation_of,
    live_groups,
    member_of,
    members_by_group,
)
from bot.models import Cohort
from bot.models.groups import GroupFormation, GroupMember, StudyGroup


@dataclass(frozen=True)
class JoinReply:
    """What to tell the member; `joined` is the cohort they are now in (None while they pick a zone), so the
    handler composing the reply can add other features' parts (retention's planning button)."""

    message: dict
    joined: int | None = None


@dataclass(frozen=True)
class Assignment:
    """Where a member who joined after formation ended up."""

    group: StudyGroup | None  # None: on the waiting list
    invitation_pending: bool = False  # placed, but the channel invitation waits for another run


async def join_from_command(db: Database, client: AsyncWebClient, *, sleep: Sleep, team_id: str, channel_id: str,
                            user_id: str, text: str, command: str) -> JoinReply:
    """The reply to `/study join [place]`: the place or zone typed (or the Slack profile's), choices when it
    is ambiguous; raises `StudyError` with the sentence when there is no cohort or no zone to use."""
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command, subcommand="join")
    if text:
        try:
            reading = await asyncio.to_thread(read_zone, text)  # the first read builds the place index
        except ZoneError as error:
            raise StudyError(render.zone_refused(str(error))) from None
    else:
        zone = await profile_zone(client, user_id)
        if zone is None:
            raise StudyError(render.no_profile_zone(command))
        reading = ZoneReading(zone)
    if isinstance(reading, AmbiguousZone):
        labels = reading.labels or [z.name for z in reading.choices]
        choices = list(zip(labels, [z.name for z in reading.choices], strict=True))
        return JoinReply(render.zone_choices(reading.message, choices, cohort.id))
    return await finish_join(db, client, cohort.id, user_id, reading, sleep=sleep, typed=text, command=command)


async def join_with_chosen_zone(db: Database, client: AsyncWebClient, *, sleep: Sleep, team_id: str, user_id: str,
                                value: str, command: str) -> JoinReply | None:
    """A zone button was clicked (`render.zone_choices`, or another place in a join reply): join with it.
    None for a value we never rendered."""
    cohort_text, _, zone_name = value.partition("|")
    try:
        zone = zone_from_name(zone_name)
    except ValueError:
        return None
    async with db.session() as session:
        cohort = await session.get(Cohort, int(cohort_text)) if cohort_text.isdigit() else None
    if cohort is None or cohort.team_id != team_id:
        raise StudyError(render.COHORT_GONE)
    return await finish_join(db, client, cohort.id, user_id, ZoneReading(zone), sleep=sleep, typed="", command=command)


async def profile_zone(client: AsyncWebClient, user_id: str) -> Zone | None:
    """The IANA zone of the member's Slack profile (`users.info` → `tz`), None when there is none."""
    try:
        user = (await client.users_info(user=user_id))["user"]
    except SlackApiError:
        return None
    try:
        return zone_from_name(user.get("tz") or "")
    except ValueError:
        return None


async def finish_join(db: Database, client: AsyncWebClient, cohort_id: int, user_id: str, reading: ZoneReading, *,
                      sleep: Sleep, typed: str, command: str) -> JoinReply:
    """Sign up, place after formation, and tell the member their zone, offset and group (or when groups form)."""
    now, zone = db.clock.now(), reading.zone
    async with db.session() as session:
        cohort = await cohort_of(session, cohort_id)
        joined = await join(session, cohort, user_id, zone, now)
        formed = await formation_of(session, cohort_id) is not None
    assignment = await place(db, client, cohort_id, user_id, now, sleep=sleep) if formed else None
    offer = None
    if joined.zone_changed and assignment is not None and assignment.group is not None:
        async with db.session() as session:
            offer = await move_offer(session, cohort_id, user_id, now)
    outcome = "joined" if joined.first_time or joined.rejoined else "changed" if joined.zone_changed else "unchanged"
    headline = render.join_headline(outcome, cohort.name, render.zone_text(zone.name, zone.offset_minutes(now),
                                                                           reading.fixed))
    details = [
        render.place_note(reading.place, reading.guessed_from or typed, reading.guessed_from is not None,
                          len(reading.others)),
        render.fixed_offset_note(command) if reading.fixed else None,
        _where(cohort, assignment, now),
        render.move_suggested(offer.current_name, offer.group_name) if offer else None,
    ]
    others = [(choice.label, choice.zone.name) for choice in reading.others]
    reply = render.join_reply(headline, [d for d in details if d], cohort.id, others,
                              (offer.group_id, offer.group_name) if offer else None)
    return JoinReply(reply, cohort.id)


def _where(cohort: Cohort, assignment: Assignment | None, now: datetime) -> str:
    if assignment is None:
        return render.forming_soon(form_at(cohort), now)
    if assignment.group is None:
        return render.WAITING_AFTER_JOIN
    return render.placed_in(assignment.group.name, assignment.group.channel_id, assignment.invitation_pending)


async def place(db: Database, client: AsyncWebClient, cohort_id: int, user_id: str, now: datetime, *,
                sleep: Sleep) -> Assignment:
    """After formation: the nearest group with room within 3 hours, else the waiting list — from
    which a new group is formed as soon as enough waiting members are close together."""
    async with db.session() as session:
        formation = await formation_of(session, cohort_id)
        member = await member_of(session, cohort_id, user_id)
        if formation is not None and member is not None and member.group_id is None:
            await _place_or_wait(session, formation, member, now)
    async with db.session() as session:
        member = await member_of(session, cohort_id, user_id)
        group = await session.get(StudyGroup, member.group_id) if member and member.group_id else None
    if group is None:
        try:
            await materialize_pending(db, client, cohort_id, now, sleep=sleep)  # a new group from the waiting list
        except GroupsError:
            pass  # another run holds the lease, or Slack said no: the sync job finishes it
        return Assignment(None)
    pending = await invite_now(db, client, cohort_id, group.id, user_id, now, sleep=sleep)
    async with db.session() as session:
        group = await session.get(StudyGroup, group.id)
    return Assignment(group, pending)


async def _place_or_wait(session: AsyncSession, formation: GroupFormation, member: GroupMember, now: datetime) -> None:
    grouped = await members_by_group(session, formation.cohort_id)
    states = [
        GroupState(str(g.id), center_now(grouped.get(g.id, []), g.center_offset, now), len(grouped.get(g.id, [])))
        for g in await live_groups(session, formation.cohort_id)
    ]
    nearest = place_late_joiner(as_member(member, now), states, formation.max_size, LATE_JOIN_DISTANCE)
    if nearest.group_id is not None:
        member.group_id = int(nearest.group_id)
        return
    cohort = await cohort_of(session, formation.cohort_id)
    await session.flush()
    await plan_from_waiting(session, cohort, now, formation.min_size, formation.max_size)
