"""Keeping people in the group: reading reminders at each member's chosen local time, the optional
session reminder, the weekly nudge round, and the organizer's weekly report."""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted
from bot.buddies.parts import with_buddy_offer
from bot.database import Database
from bot.direct_messages import unreachable_because
from bot.outbound import Posted, posted_or_busy
from bot.retention.nudges import NUDGE_JOB, nudge_occurrences, send_nudges
from bot.retention.planning import (
    PLAN_JOB,
    SESSION_JOB,
    planning_occurrences,
    send_planning_reminder,
    send_session_reminder,
    session_occurrences,
)
from bot.retention.report import REPORT_JOB, all_report_occurrences, post_report
from bot.scheduling import JobContext, Occurrence


@dataclass(frozen=True)
class ReminderDMs:
    """One direct message per member and week, at the time the member chose (or before the session)."""

    name: str
    find: Callable[[AsyncSession, datetime], Awaitable[list[Occurrence]]]
    send: Callable[[Database, AsyncWebClient, int, str, int, datetime], Awaitable[Posted | None]]
    done: str  # what a run did, formatted with the occurrence's data

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await self.find(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        data = occurrence.data
        posted = await self.send(ctx.db, ctx.client_for(occurrence.team_id), data["cohort_id"], data["user_id"],
                                 data["week"], ctx.now)
        if posted is None and (error := await unreachable_because(ctx.db, occurrence.team_id, data["user_id"])):
            return f"could not reach {data['user_id']} ({error}); recorded for doctor and the weekly report"
        posted_or_busy(posted, "sending this reminder")
        return self.done.format(**data)


# The reading reminder carries the buddies' "Find me a study buddy" for members without one (issue 24).
READING_REMINDERS = ReminderDMs(PLAN_JOB, planning_occurrences,
                                partial(send_planning_reminder, compose=with_buddy_offer),
                                "reminded {user_id} for week {week}")
SESSION_REMINDER_DMS = ReminderDMs(SESSION_JOB, session_occurrences, send_session_reminder,
                                   "session reminder to {user_id} for week {week}")


class Nudges:
    name = NUDGE_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await nudge_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        sent = await send_nudges(ctx.db, ctx.client_for(occurrence.team_id), occurrence.data["cohort_id"],
                                 occurrence.data["week"], ctx.now)
        return f"nudged {counted(sent, 'member')} in week {occurrence.data['week']}"


class PostWeeklyReport:
    name = REPORT_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await all_report_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        made = await post_report(ctx.db, ctx.client_for(occurrence.team_id), occurrence.data["cohort_id"],
                                 occurrence.data["week"], ctx.now)
        return f"posted week {occurrence.data['week']}'s report to {counted(made, 'destination')}"


JOBS = [READING_REMINDERS, SESSION_REMINDER_DMS, Nudges(), PostWeeklyReport()]
