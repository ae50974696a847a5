"""Share-your-work: an hourly catch-up read of each share channel, and the weekly digest.

The catch-up job's first run after a restart reads what was missed while the
bot was down; the digest job catches up once more right before it posts.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.store import active_cohorts, rhythm_of
from bot.scheduling import JobContext, Occurrence, start_of_hour
from bot.share.catchup import hourly_catch_up
from bot.share.digest import post_scheduled_digest
from bot.share.digest_timing import digest_due_at, digest_stale_at, latest_due_week

CATCH_UP_EVERY = timedelta(hours=1)


class ShareCatchUp:
    name = "share-catch-up"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        hour = start_of_hour(now)
        channels = {(c.team_id, c.share_channel_id) for c in await active_cohorts(session) if c.share_channel_id}
        return [
            Occurrence(team_id, f"channel-{channel_id}", hour.strftime("%Y-%m-%dT%H"), due_at=hour,
                       stale_at=hour + CATCH_UP_EVERY, data={"channel_id": channel_id})
            for team_id, channel_id in sorted(channels)
        ]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        return await hourly_catch_up(ctx.db, ctx.client_for(occurrence.team_id), team_id=occurrence.team_id,
                                     channel_id=occurrence.data["channel_id"], now=ctx.now, sleep=ctx.sleep)


class ShareDigest:
    """Week k's digest, once, at the cohort's digest time; skipped once the next week has well begun."""

    name = "share-digest"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        found = []
        for cohort in await active_cohorts(session):
            if not cohort.share_channel_id:
                continue
            rhythm = rhythm_of(cohort)
            week = latest_due_week(rhythm, cohort.digest_hours_before, now)
            if week is None:
                continue
            found.append(Occurrence(
                cohort.team_id, f"cohort-{cohort.id}", f"week-{week}",
                due_at=digest_due_at(rhythm, week, cohort.digest_hours_before),
                stale_at=digest_stale_at(rhythm, week), data={"cohort_id": cohort.id, "week": week},
            ))
        return found

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        return await post_scheduled_digest(ctx.db, ctx.client_for(occurrence.team_id),
                                           cohort_id=occurrence.data["cohort_id"], week=occurrence.data["week"],
                                           now=ctx.now, sleep=ctx.sleep)


JOBS = [ShareCatchUp(), ShareDigest()]
