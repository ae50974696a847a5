"""Study buddies: the round that releases, matches and introduces (a minute's occurrence, only while a cohort has
something to do), the weekly check-in per pair, and the private offers after two quiet weeks."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted
from bot.buddies.checkins import (
    CHECKIN_JOB,
    QUIET_JOB,
    checkin_occurrences,
    quiet_occurrences,
    send_check_in,
    send_quiet_offers,
)
from bot.buddies.tending import TEND_JOB, tend, tend_occurrences
from bot.scheduling import JobContext, Occurrence


class TendBuddies:
    name = TEND_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await tend_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        done = await tend(ctx.db, ctx.client_for(occurrence.team_id), occurrence.data["cohort_id"], ctx.now,
                          command=ctx.command)
        return str(done)


class CheckIns:
    name = CHECKIN_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await checkin_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        data = occurrence.data
        sent = await send_check_in(ctx.db, ctx.client_for(occurrence.team_id), data["pair_id"], data["week"], ctx.now)
        return f"week {data['week']}'s check-in for pair {data['pair_id']}" + ("" if sent else ": the pairing ended")


class QuietOffers:
    name = QUIET_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await quiet_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        data = occurrence.data
        sent = await send_quiet_offers(ctx.db, ctx.client_for(occurrence.team_id), data["pair_id"], data["week"],
                                       ctx.now)
        return f"offered a new match to {counted(sent, 'member')} of pair {data['pair_id']}"


JOBS = [TendBuddies(), CheckIns(), QuietOffers()]
