"""Share-your-work: an hourly catch-up read of each share channel, and the weekly digest.

The catch-up job's first run after a restart reads what was missed while the
bot was down; the digest job catches up once more right before it posts.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.store import active_cohorts, rhythm_of
from bot.models import Cohort
from bot.scheduling import JobContext, Occurrence
from bot.share.catchup import catch_up
from bot.share.digests import digest_summary, post_digest, scheduled_key, window_start
from bot.share.weeks import digest_due_at, digest_stale_at, latest_due_week

log = logging.getLogger(__name__)
CATCH_UP_EVERY = timedelta(hours=1)
UNREADABLE = {"not_in_channel", "channel_not_found", "channel_is_limited_access"}


class ShareCatchUp:
    name = "share-catch-up"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        hour = now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)
        channels = {(c.team_id, c.share_channel_id) for c in await active_cohorts(session) if c.share_channel_id}
        return [
            Occurrence(team_id, f"channel-{channel_id}", hour.strftime("%Y-%m-%dT%H"), due_at=hour,
                       stale_at=hour + CATCH_UP_EVERY, data={"channel_id": channel_id})
            for team_id, channel_id in sorted(channels)
        ]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        channel_id = occurrence.data["channel_id"]
        try:
            result = await catch_up(ctx.db, ctx.client_for(occurrence.team_id), team_id=occurrence.team_id,
                                    channel_id=channel_id, now=ctx.now, sleep=ctx.sleep)
        except SlackApiError as error:
            if error.response.get("error") not in UNREADABLE:
                raise  # transient: the next tick retries
            # Retrying every tick would not help; the next hour tries again, and the log says what to fix.
            log.warning("cannot read share channel %s: %s — invite the bot", channel_id, error.response.get("error"))
            return f"cannot read {channel_id}: {error.response.get('error')} (invite the bot to the channel)"
        return result.line()


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
        async with ctx.db.session() as session:
            cohort = await session.get(Cohort, occurrence.data["cohort_id"])
        if cohort is None or not cohort.share_channel_id:
            return "cohort or share channel gone; nothing posted"
        client = ctx.client_for(occurrence.team_id)
        week = occurrence.data["week"]
        try:
            caught_up = (await catch_up(ctx.db, client, team_id=cohort.team_id, channel_id=cohort.share_channel_id,
                                        now=ctx.now, sleep=ctx.sleep, since=window_start(cohort, week))).line()
        except SlackApiError as error:  # a digest of what the events told us is better than none
            log.warning("share catch-up before the digest failed: %s", error.response.get("error"))
            caught_up = f"catch-up failed ({error.response.get('error')})"
        posted = await post_digest(ctx.db, client, cohort=cohort, week=week, key=scheduled_key(cohort, week),
                                   now=ctx.now, sleep=ctx.sleep)
        return f"{caught_up}; {digest_summary(posted)}"


JOBS = [ShareCatchUp(), ShareDigest()]
