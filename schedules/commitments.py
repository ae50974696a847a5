"""Commitments: the one "Did you make it?" DM at each commitment's deadline (and once more after "2 more days")."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.commitments.deadline import ASK_JOB, ask_occurrences, send_ask
from bot.scheduling import JobContext, Occurrence


class AskAtDeadline:
    name = ASK_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await ask_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        data = occurrence.data
        return await send_ask(ctx.db, ctx.client_for(occurrence.team_id), data["cohort_id"], data["user_id"],
                              data["week"], data["ask"], ctx.now)


JOBS = [AskAtDeadline()]
