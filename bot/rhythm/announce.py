"""Posting the week-open announcement and the session reminders, each exactly once.

The scheduler's `job_runs` row makes each occurrence run once; `post_once`
makes the Slack post itself happen once even if a run crashes half-way and is
retried. Organizers' re-runs get their own keys (`…:rerun-N`). Every poster composes the messages with the
other features' parts in one place, `bot.rhythm.compose`.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select

from bot.blocks import Block
from bot.cohorts.weeks import Week, week_of
from bot.database import Database
from bot.models import Chapter, Cohort, Question
from bot.outbound import Posted, post_once
from bot.rhythm.occurrences import announcement_key, reminder_key
from bot.rhythm.views import Announcement, render_announcement, render_reminder
from bot.sessions.recordings import last_weeks_recording, with_last_weeks_recording
from bot.sessions.schedule import LiveSession, live_session
from bot.syllabus.store import syllabus_about


@dataclass(frozen=True)
class WeekContent:
    cohort: Cohort
    week: Week
    chapter: Chapter | None
    question_count: int
    live: LiveSession | None = None  # the week's session as it stands (moved, relinked, cancelled)
    last_recording: Block | None = None  # the previous week's recording line (bot/sessions/recordings.py)

    @property
    def session_at(self) -> datetime | None:
        """When the week's session happens; None without one or when it is cancelled."""
        return self.live.starts_at if self.live is not None and not self.live.cancelled else None


async def load_week(db: Database, cohort_id: int, number: int) -> WeekContent | None:
    """The cohort, week `number` and its chapter; None if the cohort is gone or inactive."""
    async with db.session() as session:
        cohort = await session.get(Cohort, cohort_id)
        if cohort is None or not cohort.active or not 1 <= number <= cohort.weeks:
            return None
        chapter = await session.scalar(
            select(Chapter).where(Chapter.cohort_id == cohort_id, Chapter.number == number)
        )
        count = await session.scalar(
            select(func.count()).select_from(Question).where(
                Question.cohort_id == cohort_id, Question.chapter == number, Question.retired.is_(False)
            )
        )
        live = await live_session(session, cohort, number)
        return WeekContent(cohort, week_of(cohort, number), chapter, count or 0, live,
                           await last_weeks_recording(session, cohort, number))


def announcement_for(content: WeekContent, command: str) -> dict:
    cohort = content.cohort
    return with_last_weeks_recording(render_announcement(Announcement(
        week=content.week.number, weeks=cohort.weeks, chapter=content.chapter, closes_at=content.week.closes_at,
        session=content.session_at, session_link=content.live.link if content.live else None,
        session_cancelled=content.live is not None and content.live.cancelled,
        questions_channel=cohort.questionnaire_channel_id or cohort.channel_id,
        share_channel=cohort.share_channel_id, question_count=content.question_count,
        steps=syllabus_about(cohort)["steps"],
    ), command), content.last_recording)


async def post_announcement(db: Database, client: AsyncWebClient, content: WeekContent, message: dict,
                            now: datetime, key: str | None = None) -> Posted | None:
    cohort = content.cohort
    return await post_once(
        db, client, team_id=cohort.team_id, key=key or announcement_key(cohort.id, content.week.number),
        channel=cohort.channel_id, now=now, unfurl_links=False, **message,
    )


def reminder_for(content: WeekContent, now: datetime, command: str) -> dict:
    """The reminder of the week's session (which the caller checked is on)."""
    assert content.session_at is not None, "a cancelled or removed session has no reminder"
    return render_reminder(week=content.week.number, chapter=content.chapter, session=content.session_at, now=now,
                           command=command, join_url=content.live.link if content.live else None)


def reminder_still_due(content: WeekContent, at: str | None) -> bool:
    """The occurrence's session instant (`at`, ISO) is still the week's: not cancelled, removed or moved since."""
    return content.session_at is not None and (at is None or datetime.fromisoformat(at) == content.session_at)


async def post_reminder(db: Database, client: AsyncWebClient, content: WeekContent, label: str, message: dict,
                        now: datetime) -> Posted | None:
    cohort, live = content.cohort, content.live
    moved_to = live.starts_at if live is not None and live.moved else None
    return await post_once(
        db, client, team_id=cohort.team_id, key=reminder_key(cohort.id, content.week.number, label, moved_to),
        channel=cohort.channel_id, now=now, unfurl_links=False, **message,
    )
