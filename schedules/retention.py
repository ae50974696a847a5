"""Keeping people in the group: reading reminders at each member's chosen local time, the optional
session reminder, the weekly nudge round, and the organizer's weekly report."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted
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


class ReadingReminders:
    name = PLAN_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await planning_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        data = occurrence.data
        posted = await send_planning_reminder(ctx.db, ctx.client_for(occurrence.team_id), data["cohort_id"],
                                              data["user_id"], data["week"], ctx.now)
        if posted is None:
            raise RuntimeError("another process is sending this reminder right now")  # retried next tick
        return f"reminded {data['user_id']} for week {data['week']}"


class SessionReminders:
    name = SESSION_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await session_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        data = occurrence.data
        posted = await send_session_reminder(ctx.db, ctx.client_for(occurrence.team_id), data["cohort_id"],
                                             data["user_id"], data["week"], ctx.now)
        if posted is None:
            raise RuntimeError("another process is sending this reminder right now")
        return f"session reminder to {data['user_id']} for week {data['week']}"


class Nudges:
    name = NUDGE_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await nudge_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        sent = await send_nudges(ctx.db, ctx.client_for(occurrence.team_id), occurrence.data["cohort_id"],
                                 occurrence.data["week"], ctx.now)
        return f"nudged {counted(sent, 'member')} in week {occurrence.data['week']}"


class WeeklyReport:
    name = REPORT_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await all_report_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        made = await post_report(ctx.db, ctx.client_for(occurrence.team_id), occurrence.data["cohort_id"],
                                 occurrence.data["week"], ctx.now)
        return f"posted week {occurrence.data['week']}'s report to {counted(made, 'destination')}"


JOBS = [ReadingReminders(), SessionReminders(), Nudges(), WeeklyReport()]
