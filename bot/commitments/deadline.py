"""At a commitment's deadline, one kind DM: "Did you make it?" [Yes] [Not yet — give me 2 more days] [Skip this week].

Each ask is one occurrence of `ASK_JOB` (its `job_runs` row is the lock across ticks, restarts and replicas)
and one `post_once` key per member, week and ask (a crash after Slack's answer finds the DM instead of
sending a second). "2 more days" moves the deadline 48 h once, which makes the second (and last) ask due.
Members who turned the bot's DMs off (nudges off, or paused) or left their study group are not asked.
"""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.store import cohort_in
from bot.commitments import views
from bot.commitments.store import commitment_of
from bot.database import Database
from bot.direct_messages import unreachable_because
from bot.errors import StudyError
from bot.groups.records import member_of
from bot.models import Chapter, Cohort
from bot.models.commitments import Commitment
from bot.models.retention import MemberPreferences
from bot.outbound import post_once, posted_or_busy
from bot.scheduling import Occurrence
from bot.store import get_known

ASK_JOB = "commitment-deadline"
MORE_TIME = timedelta(hours=48)
# An ask more than this late (the bot was down) is skipped rather than sent days after the day.
STALE_AFTER = timedelta(hours=36)
WAITING = (None, "extended")  # outcomes still waiting for an answer


def ask_number(row: Commitment | Any) -> int:
    return 2 if row.extended else 1


def ask_key(cohort_id: int, user_id: str, week: int, ask: int) -> str:
    return f"commitments:ask:{cohort_id}:{user_id}:week-{week}:ask-{ask}"


async def ask_occurrences(session: AsyncSession, now: datetime) -> list[Occurrence]:
    """The asks due now: unanswered commitments of active cohorts whose deadline has come (and not long ago)."""
    rows = await session.execute(
        select(Commitment.team_id, Commitment.cohort_id, Commitment.user_id, Commitment.week, Commitment.due_at,
               Commitment.extended)
        .join(Cohort, Cohort.id == Commitment.cohort_id)
        .where(Cohort.active.is_(True), Commitment.due_at <= now, Commitment.due_at > now - STALE_AFTER,
               or_(Commitment.outcome.is_(None), Commitment.outcome == "extended")))
    return [Occurrence(row.team_id, f"cohort-{row.cohort_id}", f"week-{row.week}:{row.user_id}:ask-{ask_number(row)}",
                       row.due_at, row.due_at + STALE_AFTER,
                       {"cohort_id": row.cohort_id, "user_id": row.user_id, "week": row.week, "ask": ask_number(row)})
            for row in rows]


async def send_ask(db: Database, client: AsyncWebClient, cohort_id: int, user_id: str, week: int, ask: int,
                   now: datetime) -> str:
    """Ask once; what happened, in a few words for the job's log."""
    async with db.session() as session:
        cohort = await get_known(session, Cohort, cohort_id)
        row = await commitment_of(session, cohort.team_id, cohort_id, user_id, week)
        if row is None or row.outcome not in WAITING or ask_number(row) != ask:
            return f"not asked: {user_id}'s commitment changed"
        if why := await _quiet(session, cohort_id, user_id, now):
            return f"not asked: {user_id} {why}"
        chapter = await _chapter(session, cohort_id, row.chapter)
    payload = views.ask(chapter, cohort_id=cohort_id, week=week, second=ask == 2)
    posted = await post_once(db, client, team_id=cohort.team_id, key=ask_key(cohort_id, user_id, week, ask),
                             channel=user_id, now=now, **payload)
    if posted is None and (error := await unreachable_because(db, cohort.team_id, user_id)):
        return f"could not reach {user_id} ({error})"
    posted_or_busy(posted, "asking about this commitment")
    async with db.session() as session:
        row = await commitment_of(session, cohort.team_id, cohort_id, user_id, week)
        if row is not None:
            row.asked_at = now
    return f"asked {user_id} about week {week} (ask {ask})"


async def _quiet(session: AsyncSession, cohort_id: int, user_id: str, now: datetime) -> str | None:
    """Why this member gets no DM now (opted out as retention's nudges read it, or left), else None."""
    prefs = await session.scalar(select(MemberPreferences).where(
        MemberPreferences.cohort_id == cohort_id, MemberPreferences.user_id == user_id))
    if prefs is not None and not prefs.nudges:
        return "turned these messages off"
    if prefs is not None and prefs.paused_until is not None and prefs.paused_until > now:
        return "is paused"
    member = await member_of(session, cohort_id, user_id)
    return "left the study groups" if member is None or member.left_at is not None else None


async def _chapter(session: AsyncSession, cohort_id: int, number: int) -> str:
    title = await session.scalar(select(Chapter.title).where(Chapter.cohort_id == cohort_id, Chapter.number == number))
    return views.chapter_words(number, title)


async def answer_ask(db: Database, team_id: str, choice: str, value: str, user_id: str,
                     now: datetime) -> dict[str, Any]:
    """[Yes] / [Not yet — give me 2 more days] / [Skip this week]: record it; the message to show instead."""
    cohort_text, _, week_text = (value or "").partition(":")
    if choice not in views.ANSWER_ACTIONS or not cohort_text.isdigit() or not week_text.isdigit():
        raise StudyError(views.BUTTON_OUT_OF_DATE)
    async with db.session() as session:
        cohort = await cohort_in(session, team_id, int(cohort_text))
        row = await commitment_of(session, team_id, cohort.id, user_id, int(week_text)) if cohort else None
        if row is None:
            raise StudyError(views.BUTTON_OUT_OF_DATE)
        chapter = await _chapter(session, row.cohort_id, row.chapter)
        if choice == views.MORE_ACTION:
            if row.outcome in WAITING:
                if not row.extended:  # once: a second click, or the first DM's button later, changes nothing
                    row.extended, row.due_at = True, row.due_at + MORE_TIME
                row.outcome, row.updated_at = "extended", now
                return views.answered(chapter, choice, row.due_at)
            choice = views.YES_ACTION if row.outcome == "kept" else views.SKIP_ACTION  # answered already
        else:
            row.outcome, row.updated_at = ("kept" if choice == views.YES_ACTION else "skipped"), now
    return views.answered(chapter, choice)
