"""Exactly-once scheduled work.

A job says which occurrences are due as of `now`; `tick` claims each one by
inserting a `job_runs` row under a unique key before doing any work, so
restarts, repeated ticks and several replicas never run one occurrence twice.
An occurrence past its `stale_at` is recorded as skipped instead of run late.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Sleep
from bot.database import Database
from bot.models import JobRun
from bot.store import insert_ignore

log = logging.getLogger(__name__)

# A run still "running" after this long is taken to have crashed and may be retried.
RUN_LEASE = timedelta(minutes=10)


@dataclass(frozen=True)
class Occurrence:
    team_id: str
    scope: str
    key: str
    due_at: datetime
    stale_at: datetime | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass
class JobContext:
    """What a job may use while it runs; `client_for(team_id)` returns a Slack client.

    `sleep` paces bulk posting (about one message a second per channel); tests inject
    one that records instead of waiting.
    """

    db: Database
    now: datetime
    client_for: Callable[[str], Any]
    sleep: Sleep = asyncio.sleep
    command: str = "/study"
    # Workspaces that uninstalled the app (or revoked its token): their occurrences are not run.
    stopped_teams: Callable[[], Awaitable[set[str]]] | None = None


class Job(Protocol):
    name: str

    async def occurrences(self, session: AsyncSession, now: datetime) -> Iterable[Occurrence]: ...

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str: ...


@dataclass(frozen=True)
class TickResult:
    job: str
    occurrence: Occurrence
    outcome: str  # ran | skipped | failed
    detail: str

    def line(self) -> str:
        return f"{self.outcome:7} {self.job} {self.occurrence.scope} {self.occurrence.key}: {self.detail}"


async def tick(db: Database, jobs: Sequence[Job], ctx: JobContext) -> list[TickResult]:
    """Run every due occurrence of every job once, as of `ctx.now`."""
    results: list[TickResult] = []
    stopped = await ctx.stopped_teams() if ctx.stopped_teams else set()
    for job in jobs:
        async with db.session() as session:
            due = [o for o in await job.occurrences(session, ctx.now) if o.due_at <= ctx.now and o.team_id not in stopped]
            due = await _not_finished(session, job.name, due)
        for occurrence in due:
            result = await _run_once(db, job, occurrence, ctx)
            if result:
                log.info(result.line())
                results.append(result)
    return results


async def _not_finished(session: AsyncSession, job: str, occurrences: list[Occurrence]) -> list[Occurrence]:
    """Drop occurrences already done or skipped, in one query.

    Claiming would refuse them anyway; asking once per job and tick instead of one
    insert per occurrence keeps a tick with nothing to do cheap.
    """
    if not occurrences:
        return []
    finished = set((await session.execute(
        select(JobRun.team_id, JobRun.scope, JobRun.occurrence).where(
            JobRun.job == job,
            JobRun.scope.in_({o.scope for o in occurrences}),
            JobRun.status.in_(("done", "skipped")),
        )
    )).all())
    return [o for o in occurrences if (o.team_id, o.scope, o.key) not in finished]


async def _run_once(db: Database, job: Job, occurrence: Occurrence, ctx: JobContext) -> TickResult | None:
    if not await _claim(db, job.name, occurrence, ctx.now):
        return None
    if occurrence.stale_at is not None and ctx.now >= occurrence.stale_at:
        detail = f"not run: was due {occurrence.due_at.isoformat()}, no longer useful"
        await _finish(db, job.name, occurrence, "skipped", detail, ctx.now)
        return TickResult(job.name, occurrence, "skipped", detail)
    try:
        detail = await job.run(ctx, occurrence)
    except Exception as error:  # noqa: BLE001 - recorded, retried next tick
        log.exception("job %s %s failed", job.name, occurrence.key)
        await _finish(db, job.name, occurrence, "failed", repr(error)[:500], ctx.now)
        return TickResult(job.name, occurrence, "failed", repr(error)[:200])
    await _finish(db, job.name, occurrence, "done", detail, ctx.now)
    return TickResult(job.name, occurrence, "ran", detail)


def _key(job: str, occurrence: Occurrence) -> tuple:
    return (
        JobRun.team_id == occurrence.team_id,
        JobRun.job == job,
        JobRun.scope == occurrence.scope,
        JobRun.occurrence == occurrence.key,
    )


async def _claim(db: Database, job: str, occurrence: Occurrence, now: datetime) -> bool:
    """Insert the run row, or take over a failed or crashed one; exactly one caller wins."""
    async with db.session() as session:
        inserted = await insert_ignore(
            session,
            JobRun,
            {
                "team_id": occurrence.team_id,
                "job": job,
                "scope": occurrence.scope,
                "occurrence": occurrence.key,
                "due_at": occurrence.due_at,
                "status": "running",
                "claimed_at": now,
            },
        )
        if inserted:
            return True
        retake = await session.execute(
            update(JobRun)
            .where(*_key(job, occurrence))
            .where(
                (JobRun.status == "failed")
                | ((JobRun.status == "running") & (JobRun.claimed_at < now - RUN_LEASE))
            )
            .values(status="running", claimed_at=now)
        )
        return (retake.rowcount or 0) > 0


async def _finish(db: Database, job: str, occurrence: Occurrence, status: str, detail: str, now: datetime) -> None:
    async with db.session() as session:
        await session.execute(
            update(JobRun).where(*_key(job, occurrence)).values(status=status, detail=detail, finished_at=now)
        )


async def forget_old_runs(db: Database, now: datetime, keep: timedelta = timedelta(days=90)) -> int:
    """Finished runs older than any occurrence a job still offers are dead weight (hourly jobs add up)."""
    async with db.session() as session:
        result = await session.execute(
            delete(JobRun).where(JobRun.status.in_(("done", "skipped")), JobRun.due_at < now - keep)
        )
        return result.rowcount or 0


async def record_skip(session: AsyncSession, job: str, occurrence: Occurrence, now: datetime, why: str) -> bool:
    """Mark an occurrence as skipped before it runs (an organizer's "skip this week")."""
    values = {
        "team_id": occurrence.team_id, "job": job, "scope": occurrence.scope, "occurrence": occurrence.key,
        "due_at": occurrence.due_at, "status": "skipped", "claimed_at": now, "finished_at": now, "detail": why,
    }
    return await insert_ignore(session, JobRun, values)


async def run_status(session: AsyncSession, team_id: str, job: str, scope: str, key: str) -> str | None:
    row = await session.scalar(
        select(JobRun.status).where(
            JobRun.team_id == team_id, JobRun.job == job, JobRun.scope == scope, JobRun.occurrence == key
        )
    )
    return row
