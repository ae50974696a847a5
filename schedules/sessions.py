"""The live session: the channel notice of a moved, cancelled or restored session (once per change), and
the throttled "I'll be there" counts left to show."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted
from bot.outbound import Posted
from bot.scheduling import JobContext, Occurrence, once_a_minute
from bot.sessions.notices import NOTICE_JOB, notice_occurrences, post_notice
from bot.sessions.rsvp import due_messages, refresh_message


class SessionNotices:
    name = NOTICE_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await notice_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        data = occurrence.data
        posted = await post_notice(ctx.db, ctx.client_for(occurrence.team_id), cohort_id=data["cohort_id"],
                                   week=data["week"], sequence=data["sequence"], now=ctx.now)
        if isinstance(posted, Posted):
            return f"announced the change to week {data['week']}'s session in {posted.channel_id} ({posted.ts})"
        return posted


class FlushRsvpCounts:
    name = "session-rsvp-counts"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return [once_a_minute(now)] if await due_messages(session, now) else []

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        async with ctx.db.session() as session:
            due = await due_messages(session, ctx.now)
        updated = 0
        for message_id, team_id in due:
            updated += await refresh_message(ctx.db, ctx.client_for(team_id), message_id, ctx.now)
        return f"refreshed {updated} of {counted(len(due), 'RSVP count')}"


JOBS = [SessionNotices(), FlushRsvpCounts()]
