"""A moved, cancelled or restored session is announced once in the cohort channel.

Each such change sets the week's `notice_sequence`; the notice's occurrence and its `post_once` key carry it,
so one change is announced once (across ticks, restarts and replicas), a later change supersedes a notice not
yet posted, and nothing is announced once the session's time has passed.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.weeks import week_of
from bot.database import Database
from bot.models import Cohort
from bot.models.sessions import SessionOverride
from bot.outbound import Posted, post_once, posted_or_busy
from bot.scheduling import Occurrence
from bot.sessions.schedule import apply_override
from bot.sessions.views import render_notice

NOTICE_JOB = "session-change-notice"
RECENT = timedelta(days=14)  # changes older than this are no longer offered


def notice_key(cohort_id: int, week: int, sequence: int) -> str:
    return f"session-notice:cohort-{cohort_id}:week-{week}:seq-{sequence}"


async def notice_occurrences(session: AsyncSession, now: datetime) -> list[Occurrence]:
    """One occurrence per week whose last move/cancel/restore is recent and whose session is still ahead."""
    rows = (await session.execute(
        select(SessionOverride, Cohort).join(Cohort, Cohort.id == SessionOverride.cohort_id).where(
            Cohort.active.is_(True), SessionOverride.notice_sequence > 0, SessionOverride.changed_at > now - RECENT)
    )).all()
    found = []
    for row, cohort in rows:
        if not 1 <= row.week <= cohort.weeks:
            continue
        live = apply_override(cohort, row.week, week_of(cohort, row.week).session, row)
        if live is None:
            continue
        found.append(Occurrence(
            cohort.team_id, f"cohort-{cohort.id}", f"week-{row.week}:notice-{row.notice_sequence}",
            due_at=row.changed_at, stale_at=live.starts_at,
            data={"cohort_id": cohort.id, "week": row.week, "sequence": row.notice_sequence}))
    return found


async def post_notice(db: Database, client: AsyncWebClient, *, cohort_id: int, week: int, sequence: int,
                      now: datetime) -> Posted | str:
    """Post the notice of change `sequence`, unless a later change superseded it (then a reason)."""
    async with db.session() as session:
        cohort = await session.get(Cohort, cohort_id)
        row = await session.scalar(select(SessionOverride).where(
            SessionOverride.cohort_id == cohort_id, SessionOverride.week == week))
        if cohort is None or not cohort.active or row is None:
            return "cohort inactive or the change is gone; nothing posted"
        if row.notice_sequence != sequence:
            return "superseded by a later change; nothing posted"
        live = apply_override(cohort, week, week_of(cohort, week).session, row)
    if live is None:
        return "no session that week; nothing posted"
    return posted_or_busy(await post_once(db, client, team_id=cohort.team_id, key=notice_key(cohort.id, week, sequence),
                             channel=cohort.channel_id, now=now, unfurl_links=False,
                             **render_notice(week=week, starts_at=live.starts_at, cancelled=live.cancelled,
                                             join_url=live.link)), "posting this notice")
