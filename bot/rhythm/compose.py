"""The week's announcement and session reminders as members see them, whoever posts them: the week-open and
reminder jobs, `/study admin rerun` and `studybot cohort rerun` all compose here, so a re-posted announcement
carries the same parts as the job's.

A message is the rhythm's own (bot/rhythm/announce.py) with the other features' parts: retention's planning
button on the announcement, and the live session's (bot/sessions/parts.py) — [I'll be there] with its count
on the announcement and the 24-hour reminder, [Join] on the announcement and the 1-hour reminder, [Add to
Google Calendar] on the announcement. A message showing an RSVP count is remembered once posted, so clicks
update its count in place.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select

from bot.cohorts.weeks import week_of
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort, OutboundMessage
from bot.outbound import Posted
from bot.retention.views import with_planning_button
from bot.rhythm.announce import (
    WeekContent,
    announcement_for,
    load_week,
    post_announcement,
    post_reminder,
    reminder_for,
)
from bot.rhythm.occurrences import announcement_key, rerun_key
from bot.sessions.parts import after_posting, with_session_parts

Composed = tuple[dict[str, Any], int | None]  # the message, and the RSVP count it shows (None: no count)


async def week_announcement(db: Database, content: WeekContent, command: str) -> Composed:
    """Week `content`'s announcement with the planning button and the session's parts."""
    message = with_planning_button(announcement_for(content, command), content.cohort.id, content.week.number)
    return await with_session_parts(db, message, cohort=content.cohort, live=content.live, chapter=content.chapter,
                                    kind="announcement")


async def session_reminder(db: Database, content: WeekContent, label: str, now: datetime, command: str) -> Composed:
    """The `label` ("24h" or "1h") reminder of the week's session (which the caller checked is on)."""
    return await with_session_parts(db, reminder_for(content, now, command), cohort=content.cohort,
                                    live=content.live, chapter=content.chapter, kind=label)


async def announce(db: Database, client: AsyncWebClient, content: WeekContent, now: datetime, command: str,
                   key: str | None = None) -> Posted | None:
    """Compose and post the week's announcement once under `key` (default: the week's own); None when another
    process holds the claim."""
    message, shown = await week_announcement(db, content, command)
    posted = await post_announcement(db, client, content, message, now, key=key)
    if posted is not None:
        await after_posting(db, posted, message, cohort=content.cohort, week=content.week.number, shown=shown)
    return posted


async def remind(db: Database, client: AsyncWebClient, content: WeekContent, label: str, now: datetime,
                 command: str) -> Posted | None:
    """Compose and post the week's `label` reminder once; None when another process holds the claim."""
    message, shown = await session_reminder(db, content, label, now, command)
    posted = await post_reminder(db, client, content, label, message, now)
    if posted is not None:
        await after_posting(db, posted, message, cohort=content.cohort, week=content.week.number, shown=shown)
    return posted


async def rerun_announcement(db: Database, client: AsyncWebClient, cohort: Cohort, number: int, now: datetime,
                             command: str) -> Posted | None:
    """Post week `number`'s announcement again now, under the next `rerun-N` key, composed as the job's.

    Two organizers asking at the same moment compute the same N, so `post_once`
    lets only one of them post; asking again later posts again, on purpose.
    """
    week = week_of(cohort, number)
    if week.opens_at > now:
        raise StudyError(f"Week {number} has not opened yet; it will be announced when it opens.")
    content = await load_week(db, cohort.id, number)
    if content is None:
        raise StudyError("This cohort is not active.")
    prefix = announcement_key(cohort.id, number) + ":rerun-"
    async with db.session() as session:
        earlier = await session.scalar(
            select(func.count()).select_from(OutboundMessage).where(
                OutboundMessage.team_id == cohort.team_id, OutboundMessage.key.startswith(prefix, autoescape=True)
            )
        )
    return await announce(db, client, content, now, command, key=rerun_key(cohort.id, number, (earlier or 0) + 1))
