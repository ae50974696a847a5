"""Live sessions' recordings: each shown in its week's announcement thread, and the links to where questions
were answered DMed to their askers and upvoters. The job exists only while something is due: one occurrence
per minute then (the writes themselves do it at once; this catches what failed or was interrupted)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.recording_sweep import recordings_due, sweep_recordings
from bot.rhythm.occurrences import announcement_key
from bot.scheduling import JobContext, Occurrence, once_a_minute


class RecordingSweep:
    name = "session-recordings"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return [once_a_minute(now)] if await recordings_due(session, now) else []

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        return await sweep_recordings(ctx.db, ctx.client_for, ctx.now, announcement_key=announcement_key)


JOBS = [RecordingSweep()]
