"""Planning prompts and personal reminders: "when will you read this week?" and the DM at that time.

A plan is a weekday and local time in the member's own zone. Week k's reminder goes at the first
such local moment at or after week k opens (and before it closes), computed from the zone *name*,
so it stays at 19:00 local across a daylight-saving change. Each DM is keyed by member and week
(`post_once`), so restarts and repeated ticks never send it twice.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.timeparse import WeeklyTime, parse_weekly_time
from bot.calendar.weeks import resolve_local
from bot.calendar.zones import zone_from_name
from bot.cohorts.store import active_cohorts
from bot.cohorts.weeks import Week, current_week_of, next_session_at, week_of
from bot.cohorts.which import cohort_for_request
from bot.commitments.commit import offer_blocks
from bot.database import Database
from bot.errors import StudyError
from bot.models import Chapter, Cohort, Question
from bot.models.groups import GroupMember, StudyGroup
from bot.models.questionnaire import Answer
from bot.models.retention import MemberPreferences
from bot.outbound import Posted, post_once
from bot.retention import views
from bot.retention.preferences import is_paused, preferences_of, stop_reminders
from bot.scheduling import Occurrence
from bot.store import get_known

PLAN_JOB = "retention-planning"
SESSION_JOB = "retention-session-reminder"
# A reminder more than this late (the bot was down) is skipped rather than sent at an odd hour.
STALE_AFTER = timedelta(hours=6)
SUGGESTIONS = ("Mon 19:00", "Tue 07:30", "Wed 19:00", "Thu 12:30", "Sat 10:00", "Sun 17:00")
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def suggestion_label(plan: str) -> str:
    weekly = parse_weekly_time(plan)
    return f"{DAY_NAMES[weekly.weekday]}s at {weekly.hour:02d}:{weekly.minute:02d}"


def local_instant(wall: datetime, zone_name: str) -> datetime:
    """The UTC instant of a naive local time in a stored zone name (IANA, or a fixed ``UTC+05:30``)."""
    zone = zone_from_name(zone_name)
    try:
        return resolve_local(wall, zone.name)
    except ValueError:  # a fixed offset: the same offset all year
        offset = timedelta(minutes=zone.offset_minutes(datetime(2000, 1, 1, tzinfo=UTC)))
        return wall.replace(tzinfo=timezone(offset)).astimezone(UTC)


def local_wall(instant: datetime, zone_name: str) -> datetime:
    """The naive local wall-clock time of `instant` in a stored zone name."""
    zone = zone_from_name(zone_name)
    return (instant + timedelta(minutes=zone.offset_minutes(instant))).astimezone(UTC).replace(tzinfo=None)


def weekly_moment(plan: WeeklyTime, zone_name: str, week: Week) -> datetime | None:
    """The first local `plan` weekday/time at or after the week opens, as UTC; None if it falls after it closes."""
    opens = local_wall(week.opens_at, zone_name)
    days = (plan.weekday - opens.weekday()) % 7
    wall = datetime.combine(opens.date() + timedelta(days=days), time(plan.hour, plan.minute))
    if wall < opens:
        wall += timedelta(days=7)
    moment = local_instant(wall, zone_name)
    return moment if moment < week.closes_at else None


def planned_at(prefs: Any, zone_name: str, week: Week) -> datetime | None:
    """When this member's reading reminder for `week` is due, or None (no plan, or "each week" unpicked).

    `prefs` is a `MemberPreferences` or a row with its `plan`, `week_plan_week` and `week_plan_at`.
    """
    if prefs.week_plan_week == week.number and prefs.week_plan_at is not None:
        return prefs.week_plan_at
    if not prefs.plan or prefs.plan == views.EACH_WEEK:
        return None
    return _planned_moment(prefs.plan, zone_name, week)


@lru_cache(maxsize=4096)
def _planned_moment(plan: str, zone_name: str, week: Week) -> datetime | None:
    """Pure, and asked on every tick for every member: a handful of (plan, zone) pairs per week."""
    return weekly_moment(parse_weekly_time(plan), zone_name, week)


async def member_zone(session: AsyncSession, cohort: Cohort, user_id: str, prefs: MemberPreferences | None) -> str:
    """The member's zone name: as saved with their plan, else their study-group zone, else the cohort's."""
    if prefs is not None and prefs.zone:
        return prefs.zone
    zone = await session.scalar(select(GroupMember.zone).where(
        GroupMember.cohort_id == cohort.id, GroupMember.user_id == user_id))
    return zone or cohort.timezone


# ---- the modal -----------------------------------------------------------------------------------


async def planning_modal_for(db: Database, team_id: str, cohort_id: int, week: int | None, user_id: str,
                             now: datetime) -> dict:
    async with db.session() as session:
        cohort = await session.get(Cohort, cohort_id)
        if cohort is None or cohort.team_id != team_id:
            raise StudyError("That cohort no longer exists; nothing was changed.")
        prefs = await preferences_of(session, team_id, cohort_id, user_id, now)
        zone = await member_zone(session, cohort, user_id, prefs)
        current, reminder = prefs.plan, prefs.session_reminder
    suggestions = [(suggestion_label(plan), plan) for plan in SUGGESTIONS]
    if current and current not in SUGGESTIONS and current != views.EACH_WEEK:
        suggestions.insert(0, (suggestion_label(current), current))
    return views.planning_modal(cohort_id, week, suggestions, zone, current, reminder)


def parse_metadata(metadata: str) -> tuple[int, int | None]:
    """`"<cohort>:<week>"` as the modal wrote it; StudyError for anything else."""
    cohort_text, _, week_text = (metadata or "").partition(":")
    if not cohort_text.isdigit() or (week_text and not week_text.isdigit()):
        raise StudyError("Sorry — that form is out of date. Please open it again; nothing was changed.")
    return int(cohort_text), int(week_text) if week_text else None


async def save_plan(db: Database, team_id: str, metadata: str, user_id: str, choice: str | None,
                    session_reminder: bool, now: datetime) -> str:
    """Store the member's choice; a time picked from a week's button while "each week" applies to that week only."""
    cohort_id, week = parse_metadata(metadata)
    if choice is None:
        raise StudyError("Please pick one of the times; nothing was changed.")
    if choice not in (*SUGGESTIONS, views.EACH_WEEK, views.NO_PLAN):
        try:
            parse_weekly_time(choice)
        except ValueError:
            raise StudyError("Please pick one of the times; nothing was changed.") from None
    async with db.session() as session:
        cohort = await session.get(Cohort, cohort_id)
        if cohort is None or cohort.team_id != team_id:
            raise StudyError("That cohort no longer exists; nothing was changed.")
        prefs = await preferences_of(session, team_id, cohort_id, user_id, now)
        prefs.zone = await member_zone(session, cohort, user_id, prefs)
        prefs.session_reminder, prefs.updated_at = session_reminder, now
        if choice == views.NO_PLAN:
            prefs.plan = prefs.week_plan_week = prefs.week_plan_at = None
            return views.plan_saved_text(None, session_reminder)
        if choice != views.EACH_WEEK and prefs.plan == views.EACH_WEEK and week is not None:
            prefs.week_plan_week = week
            prefs.week_plan_at = weekly_moment(parse_weekly_time(choice), prefs.zone, week_of(cohort, week))
            return views.plan_saved_text(f"{suggestion_label(choice)} this week", session_reminder)
        prefs.plan = choice
        if choice == views.EACH_WEEK:
            return views.plan_saved_text(views.EACH_WEEK, session_reminder)
        return views.plan_saved_text(suggestion_label(choice), session_reminder)


# ---- the scheduled DMs ---------------------------------------------------------------------------


async def planning_occurrences(session: AsyncSession, now: datetime) -> list[Occurrence]:
    """This week's reading reminder of every member with a plan, in every active cohort."""
    found = []
    for cohort in await active_cohorts(session):
        week = current_week_of(cohort, now)
        if week is None:
            continue
        wanted = (MemberPreferences.plan.is_not(None), MemberPreferences.week_plan_week == week.number)
        for user_id, prefs, zone in await _reachable(session, cohort, *wanted):
            at = planned_at(prefs, zone, week)
            if at is not None and not is_paused(prefs, at):
                found.append(Occurrence(cohort.team_id, f"cohort-{cohort.id}", f"week-{week.number}:{user_id}", at,
                                        min(at + STALE_AFTER, week.closes_at),
                                        {"cohort_id": cohort.id, "user_id": user_id, "week": week.number}))
    return found


async def session_occurrences(session: AsyncSession, now: datetime) -> list[Occurrence]:
    """An hour before this week's live session, for members who asked for it."""
    found = []
    for cohort in await active_cohorts(session):
        week = current_week_of(cohort, now)
        if week is None or week.session is None:
            continue
        for user_id, prefs, _zone in await _reachable(session, cohort, MemberPreferences.session_reminder.is_(True)):
            if not is_paused(prefs, week.session):
                found.append(Occurrence(cohort.team_id, f"cohort-{cohort.id}", f"week-{week.number}:{user_id}",
                                        week.session - timedelta(hours=1), week.session,
                                        {"cohort_id": cohort.id, "user_id": user_id, "week": week.number}))
    return found


async def _reachable(session: AsyncSession, cohort: Cohort, *wanted: Any) -> list[tuple[str, Any, str]]:
    """(member, preferences row, zone name) of members with `wanted` preferences who haven't left the groups.

    One query of plain columns whatever the cohort's size: this runs on every tick.
    """
    rows = await session.execute(
        select(MemberPreferences.user_id, MemberPreferences.plan, MemberPreferences.week_plan_week,
               MemberPreferences.week_plan_at, MemberPreferences.paused_until, MemberPreferences.session_reminder,
               func.coalesce(MemberPreferences.zone, GroupMember.zone, cohort.timezone).label("zone"))
        .outerjoin(GroupMember, (GroupMember.cohort_id == MemberPreferences.cohort_id)
                   & (GroupMember.user_id == MemberPreferences.user_id))
        .where(MemberPreferences.cohort_id == cohort.id, GroupMember.left_at.is_(None), or_(*wanted)))
    return [(row.user_id, row, row.zone) for row in rows]


Compose = Callable[[Database, int, str, dict[str, Any]], Awaitable[dict[str, Any]]]


async def send_planning_reminder(db: Database, client: AsyncWebClient, cohort_id: int, user_id: str, week: int,
                                 now: datetime, *, compose: Compose | None = None) -> Posted | None:
    """The reading reminder DM; `compose` (given by the job sending it) adds other features' parts to it."""
    async with db.session() as session:
        cohort = await get_known(session, Cohort, cohort_id)
        chapter = await session.scalar(select(Chapter).where(Chapter.cohort_id == cohort_id, Chapter.number == week))
        question = await next_question(session, cohort_id, week, user_id)
        group_channel = await session.scalar(select(StudyGroup.channel_id).join(
            GroupMember, GroupMember.group_id == StudyGroup.id).where(
            GroupMember.cohort_id == cohort_id, GroupMember.user_id == user_id))
        commitment = await offer_blocks(session, cohort, user_id, now)  # "commit to finishing it by…" (issue 24)
    payload = views.planning_reminder(
        week=week, chapter_title=chapter.title if chapter else None,
        reading_link=next(((item["label"], item["url"]) for item in (chapter.links or [])), None) if chapter else None,
        question=question, meeting=next_session_at(cohort, now), group_channel=group_channel)
    payload["blocks"][-1:-1] = commitment  # above the "change or stop these reminders" line
    if compose is not None:
        payload = await compose(db, cohort_id, user_id, payload)
    return await post_once(db, client, team_id=cohort.team_id, key=f"retention:plan:{cohort_id}:{user_id}:week-{week}",
                           channel=user_id, now=now, **payload)


async def send_session_reminder(db: Database, client: AsyncWebClient, cohort_id: int, user_id: str, week: int,
                                now: datetime) -> Posted | None:
    async with db.session() as session:
        cohort = await get_known(session, Cohort, cohort_id)
    starts = week_of(cohort, week).session
    assert starts is not None, "session reminders are planned only for weeks with a session"
    payload = views.session_reminder(week, starts)
    return await post_once(db, client, team_id=cohort.team_id,
                           key=f"retention:session:{cohort_id}:{user_id}:week-{week}", channel=user_id, now=now,
                           **payload)


async def next_question(session: AsyncSession, cohort_id: int, chapter: int, user_id: str) -> str | None:
    """The first question of the chapter this member hasn't answered yet."""
    answered = set(await session.scalars(select(Answer.position).where(
        Answer.cohort_id == cohort_id, Answer.chapter == chapter, Answer.user_id == user_id,
        Answer.deleted.is_(False))))
    questions = await session.execute(select(Question.position, Question.text).where(
        Question.cohort_id == cohort_id, Question.chapter == chapter, Question.retired.is_(False))
        .order_by(Question.position))
    return next((text for position, text in questions if position not in answered), None)


async def remind_command(db: Database, team_id: str, channel_id: str, user_id: str, args: str, now: datetime,
                         command: str) -> dict | str:
    """`/study remind` → the planning modal to open; `/study remind off` → the reply after stopping them."""
    choice = args.strip().lower()
    if choice not in ("", "off"):
        raise StudyError(f"Usage: `{command} remind` to pick a time, `{command} remind off` to stop."
                         " Nothing was changed.")
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command, subcommand="remind")
    if choice == "off":
        await stop_reminders(db, team_id, cohort.id, user_id, now)
        return views.reminders_off_text()
    return await planning_modal_for(db, team_id, cohort.id, None, user_id, now)


async def open_planning(db: Database, team_id: str, value: str, user_id: str, now: datetime) -> dict:
    """The planning button's value is `<cohort>` or `<cohort>:<week>`: the modal to open."""
    cohort_id, week = parse_metadata(value)
    return await planning_modal_for(db, team_id, cohort_id, week, user_id, now)
