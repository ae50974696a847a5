"""The weekly rhythm: each week's announcement when it opens, and the live-session reminders.

Which occurrences exist and when they go stale is decided in `bot.rhythm.occurrences`;
`bot.scheduling.tick` makes each run once and skips the stale ones with a log line.
A reminder's occurrence depends on the week's session as it stands (`bot.sessions`): a moved session's
reminders are new occurrences at the new time, a cancelled week has none.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.store import active_cohorts
from bot.outbound import posted_or_busy
from bot.rhythm.announce import load_week, reminder_still_due
from bot.rhythm.compose import announce, remind
from bot.rhythm.occurrences import (
    REMINDER_JOB,
    WEEK_OPEN_JOB,
    all_reminder_occurrences,
    week_open_occurrences,
)
from bot.scheduling import JobContext, Occurrence
from bot.sessions.schedule import overrides_of

COHORT_GONE = "cohort inactive or gone; nothing posted"


class WeekOpens:
    """Week k opens: post chapter k's announcement in the cohort channel."""

    name = WEEK_OPEN_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return [o for cohort in await active_cohorts(session) for o in week_open_occurrences(cohort, now)]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        content = await load_week(ctx.db, occurrence.data["cohort_id"], occurrence.data["week"])
        if content is None:
            return COHORT_GONE
        posted = posted_or_busy(await announce(ctx.db, ctx.client_for(occurrence.team_id), content, ctx.now,
                                               ctx.command), "posting this announcement")
        return f"announced week {content.week.number} in {posted.channel_id} ({posted.ts})"


class SessionReminders:
    """24 h and 1 h before each week's live session (as it stands: moved or cancelled), in the cohort channel."""

    name = REMINDER_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return [o for cohort in await active_cohorts(session)
                for o in all_reminder_occurrences(cohort, now, await overrides_of(session, cohort))]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        content = await load_week(ctx.db, occurrence.data["cohort_id"], occurrence.data["week"])
        if content is None:
            return COHORT_GONE
        if not reminder_still_due(content, occurrence.data.get("at")):
            return "the session was moved, cancelled or removed since; nothing posted"
        label = occurrence.data["label"]
        posted = posted_or_busy(await remind(ctx.db, ctx.client_for(occurrence.team_id), content, label, ctx.now,
                                             ctx.command), "posting this reminder")
        return f"reminded {label} before week {content.week.number}'s session ({posted.ts})"


JOBS = [WeekOpens(), SessionReminders()]
