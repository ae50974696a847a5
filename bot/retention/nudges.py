"""Gentle nudges: one DM to a member after two quiet weeks, never spam.

The rules (issue 12), checked once a day into each week:
- quiet = no answer, no share, no group message in the two cohort weeks before this one, nor so far this week;
- at most one nudge per member per 14 days;
- none for members who turned nudges off, paused, left the groups, or joined less than a week ago;
- none in a break week (breaks are not cohort weeks, so no occurrence falls in one), none before week 3.
The DM is keyed by member and week (`post_once`); `last_nudge_at` is written after it is sent, so a
crash in between re-finds the same message instead of sending a second one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.alerts import tell_about_unreachable
from bot.cohorts.store import active_cohorts, cohort_in
from bot.cohorts.weeks import current_week_of
from bot.database import Database
from bot.models import Chapter, Cohort, Question
from bot.models.retention import MemberPreferences
from bot.outbound import post_once
from bot.pacing import fan_out
from bot.retention import views
from bot.retention.activity import CohortActivity, cohort_activity, members
from bot.retention.preferences import all_preferences, is_paused, pause, preferences_of, set_nudges
from bot.scheduling import Occurrence

NUDGE_JOB = "retention-nudges"
NUDGE_SPACING = timedelta(days=14)
NEW_MEMBER = timedelta(days=7)
QUIET_WEEKS = 2
# Nudges go out a day into the week, after the announcement and the first questions.
DELAY_AFTER_OPEN = timedelta(days=1)


@dataclass(frozen=True)
class Candidate:
    user_id: str
    joined_at: datetime
    left: bool
    prefs: MemberPreferences | None


def nudge_occurrence(cohort: Cohort, now: datetime) -> Occurrence | None:
    """This week's nudge round (weeks 3 onwards), due a day after the week opens."""
    week = current_week_of(cohort, now)
    if week is None or week.number <= QUIET_WEEKS:
        return None
    return Occurrence(cohort.team_id, f"cohort-{cohort.id}", f"week-{week.number}", week.opens_at + DELAY_AFTER_OPEN,
                      week.closes_at, {"cohort_id": cohort.id, "week": week.number})


def should_nudge(candidate: Candidate, activity: CohortActivity, week: int, now: datetime) -> bool:
    prefs = candidate.prefs
    if candidate.left or candidate.joined_at > now - NEW_MEMBER:
        return False
    if prefs is not None and (not prefs.nudges or is_paused(prefs, now)):
        return False
    if prefs is not None and prefs.last_nudge_at is not None and now - prefs.last_nudge_at < NUDGE_SPACING:
        return False
    return not any(activity.active(candidate.user_id, number) for number in range(week - QUIET_WEEKS, week + 1))


async def who_to_nudge(session: AsyncSession, cohort: Cohort, week: int, now: datetime) -> list[str]:
    activity = await cohort_activity(session, cohort)
    prefs = await all_preferences(session, cohort.id)
    candidates = [Candidate(m.user_id, m.joined_at, m.left_at is not None, prefs.get(m.user_id))
                  for m in await members(session, cohort.id)]
    return [c.user_id for c in candidates if should_nudge(c, activity, week, now)]


async def send_nudges(db: Database, client: AsyncWebClient, cohort_id: int, week: int, now: datetime) -> int:
    """Nudge every quiet member once; returns how many were sent."""
    async with db.session() as session:
        cohort = await session.get(Cohort, cohort_id)
        if cohort is None or not cohort.active:
            return 0
        quiet = await who_to_nudge(session, cohort, week, now)
        chapter = await session.scalar(select(Chapter).where(Chapter.cohort_id == cohort_id, Chapter.number == week))
        question = await session.scalar(select(Question.text).where(
            Question.cohort_id == cohort_id, Question.chapter == week, Question.retired.is_(False))
            .order_by(Question.position).limit(1))
    payload = views.nudge(cohort_id=cohort_id, week=week, weeks=cohort.weeks,
                          chapter_title=chapter.title if chapter else None, question=question)

    async def nudge(user_id: str) -> bool:
        posted = await post_once(db, client, team_id=cohort.team_id, key=nudge_key(cohort_id, user_id, week),
                                 channel=user_id, now=now, **payload)
        if posted is None:
            return False  # another process is sending it
        async with db.session() as session:
            prefs = await preferences_of(session, cohort.team_id, cohort_id, user_id, now)
            prefs.last_nudge_at = now
        return True

    sent = sum(await fan_out(quiet, nudge))  # DMs are separate channels: several in flight, within the pace
    await tell_about_unreachable(db, client, cohort, quiet, now)
    return sent


def nudge_key(cohort_id: int, user_id: str, week: int) -> str:
    return f"retention:nudge:{cohort_id}:{user_id}:week-{week}"


async def answer_nudge(db: Database, team_id: str, choice: str, value: str, user_id: str, now: datetime) -> str:
    """The member clicked *I'm in*, *Pause me for 2 weeks* or *Stop these messages* (or the Home's undo)."""
    if not value.isdigit():
        return views.BUTTON_OUT_OF_DATE
    cohort_id = int(value)
    async with db.session() as session:
        if await cohort_in(session, team_id, cohort_id) is None:  # a value naming another workspace's cohort
            return views.BUTTON_OUT_OF_DATE
    if choice == views.NUDGE_PAUSE_ACTION:
        return views.nudge_answer_text(choice, await pause(db, team_id, cohort_id, user_id, 2, now))
    if choice == views.NUDGE_STOP_ACTION:
        await set_nudges(db, team_id, cohort_id, user_id, False, now)
    elif choice == views.NUDGES_RESUME_ACTION:
        await set_nudges(db, team_id, cohort_id, user_id, True, now)
        return views.nudges_text(True)
    return views.nudge_answer_text(choice)



async def nudge_occurrences(session: AsyncSession, now: datetime) -> list[Occurrence]:
    return [o for cohort in await active_cohorts(session) if (o := nudge_occurrence(cohort, now)) is not None]
