"""Exactly-once scheduled work.

A job says which occurrences are due as of `now`; `tick` claims each one by inserting a `job_runs` row
under a unique key before doing any work, so restarts, repeated ticks and several replicas never run one
occurrence twice. An occurrence past its `stale_at` is recorded as skipped instead of run late.

A claim is a lease held by an owner token: every later update of the row checks the token (a run whose
lease was taken over cannot flip the new run's outcome), and a heartbeat renews the lease while a long job
runs. A failed run is retried after a backoff that doubles up to `MAX_BACKOFF`; a failure a person must fix
(a missing channel, a revoked token) waits the full `MAX_BACKOFF` and is reported once through
`JobContext.report`. One job's failure never stops the others.
"""
from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from slack_sdk.errors import SlackApiError
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.clock import Clock, FixedClock, Sleep
from bot.database import Database
from bot.models import JobRun
from bot.pacing import gather_all
from bot.settings import Settings
from bot.store import insert_ignore, rowcount

log = logging.getLogger(__name__)

# A run whose lease was not renewed for this long is taken to have crashed and may be retried.
RUN_LEASE = timedelta(minutes=10)
HEARTBEAT_SECONDS = RUN_LEASE.total_seconds() / 3
FIRST_BACKOFF = timedelta(minutes=1)
MAX_BACKOFF = timedelta(hours=1)
REPORT_AFTER_ATTEMPTS = 4  # about a quarter of an hour of failing
SCOPES_AT_ONCE = 12  # occurrences of one job in different scopes run side by side, this many at most,
# and this many of one workspace: cohorts post in their own channels, one post a second each, so six
# cohorts at once fill a workspace's five posts a second with one to spare for a slow channel.
SCOPES_PER_WORKSPACE = 6
# Slack errors no retry can fix: an organizer must act (invite the bot, restore the channel, reinstall).
NEEDS_A_PERSON = frozenset({
    "channel_not_found", "not_in_channel", "is_archived", "missing_scope", "invalid_auth", "account_inactive",
    "token_revoked", "not_authed",
})


class Busy(RuntimeError):
    """Another process is doing this work right now (a CLI `tick` beside `serve`): an expected clash,
    retried on a later tick and logged as one line, never with a traceback."""


@dataclass(frozen=True)
class Occurrence:
    team_id: str
    scope: str
    key: str
    due_at: datetime
    stale_at: datetime | None = None
    data: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def once_a_day(now: datetime) -> Occurrence:
    """The one occurrence of a daily, workspace-wide job for `now`'s UTC day; skipped if not run by its end."""
    day = now.astimezone(UTC).date()
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return Occurrence("*", "global", day.isoformat(), due_at=start, stale_at=start + timedelta(days=1))


def start_of_hour(now: datetime) -> datetime:
    return now.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def once_a_minute(now: datetime) -> Occurrence:
    """The one occurrence of a workspace-wide job for `now`'s UTC minute; skipped if not run within five."""
    minute = now.astimezone(UTC).replace(second=0, microsecond=0)
    return Occurrence("*", "global", minute.strftime("%Y-%m-%dT%H:%M"), due_at=minute,
                      stale_at=minute + timedelta(minutes=5))


@dataclass(frozen=True)
class Failure:
    """A run that failed and will not be retried soon: what an organizer is told."""

    job: str
    occurrence: Occurrence
    error: str  # Slack's error code, or the exception's repr
    attempts: int
    needs_a_person: bool


Report = Callable[["JobContext", Failure], Awaitable[None]]


class JobContext:
    """What a job may use while it runs; `client_for(team_id)` returns a Slack client.

    `now` reads the clock each time, so the claims a long job makes carry the moment
    they were made (a fixed clock makes it the tick's instant). `sleep` paces bulk
    posting (about one message a second per channel); tests inject one that records
    instead of waiting. `report` tells people about failures they must fix.
    """

    def __init__(self, db: Database, client_for: Callable[[str], Any], now: datetime | None = None, *,
                 clock: Clock | None = None, sleep: Sleep = asyncio.sleep, command: str = "/study",
                 report: Report | None = None, heartbeat_seconds: float = HEARTBEAT_SECONDS,
                 stopped_teams: Callable[[], Awaitable[set[str]]] | None = None,
                 settings: Settings | None = None) -> None:
        if clock is None:
            if now is None:
                raise ValueError("JobContext needs a clock or a fixed now")
            clock = FixedClock(now)
        self.db = db
        self.client_for = client_for
        self.clock: Clock = clock
        self.sleep = sleep
        self.command = command
        self.report = report
        self.heartbeat_seconds = heartbeat_seconds
        # Workspaces that uninstalled the app (or revoked its token): their occurrences are not run.
        self.stopped_teams = stopped_teams
        # The running bot's settings, for a job a setting turns on or shapes (None: every default).
        self.settings = settings

    @property
    def now(self) -> datetime:
        return self.clock.now()


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
    """Run every due occurrence of every job once, as of the tick's start; one job's failure spares the rest."""
    now = ctx.now
    results: list[TickResult] = []
    stopped = await ctx.stopped_teams() if ctx.stopped_teams else set()
    for job in jobs:
        try:
            async with db.session() as session:
                due = [o for o in await job.occurrences(session, now) if o.due_at <= now and o.team_id not in stopped]
                due = await _not_finished(session, job.name, due)
        except Exception as error:  # reported as this job's failure; the other jobs still run
            why = describe(error)
            log.error("job %s: cannot list its occurrences: %s", job.name, why, exc_info=not expected(error))
            results.append(TickResult(job.name, Occurrence("*", "global", "occurrences", now), "failed", why))
            continue
        results += await _run_lanes(db, job, due, ctx)
    return results


async def _run_lanes(db: Database, job: Job, due: list[Occurrence], ctx: JobContext) -> list[TickResult]:
    """Each scope's occurrences in order (a cohort's batches, one after the other), and up to
    `SCOPES_AT_ONCE` scopes side by side, at most `SCOPES_PER_WORKSPACE` of one workspace, taken from the
    workspaces in turn: one slow cohort, channel or workspace (Slack's pacing, a slow answer) does not hold
    up the others. Results come back in the order the job listed its scopes."""
    lanes: dict[tuple[str, str], list[Occurrence]] = {}
    for occurrence in due:
        lanes.setdefault((occurrence.team_id, occurrence.scope), []).append(occurrence)
    gate = asyncio.Semaphore(SCOPES_AT_ONCE)
    per_team: dict[str, asyncio.Semaphore] = {}

    async def lane(team_id: str, occurrences: list[Occurrence]) -> list[TickResult]:
        done = []
        async with per_team.setdefault(team_id, asyncio.Semaphore(SCOPES_PER_WORKSPACE)), gate:
            for occurrence in occurrences:
                if result := await _run_once(db, job, occurrence, ctx):
                    log.info(result.line())
                    done.append(result)
        return done

    order = _in_turn(list(lanes))
    done = dict(zip(order, await gather_all(lane(key[0], lanes[key]) for key in order), strict=True))
    return [result for key in lanes for result in done[key]]


def _in_turn(keys: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """(team, scope) keys reordered to take each workspace in turn: A1, B1, A2, B2, A3 …"""
    by_team: dict[str, list[tuple[str, str]]] = {}
    for key in keys:
        by_team.setdefault(key[0], []).append(key)
    rounds = max((len(v) for v in by_team.values()), default=0)
    return [team_keys[i] for i in range(rounds) for team_keys in by_team.values() if i < len(team_keys)]


def describe(error: BaseException) -> str:
    """Slack's error code for a Slack error (one word a person can act on), else the exception, short."""
    if isinstance(error, SlackApiError):
        return str(error.response.get("error") or f"HTTP {error.response.status_code}")
    if isinstance(error, Busy):
        return str(error)[:200]
    return repr(error)[:200]


def expected(error: BaseException) -> bool:
    """Slack errors and clashes are expected (logged as one line); anything else is a bug worth a traceback."""
    return isinstance(error, SlackApiError | Busy)


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


@dataclass(frozen=True)
class _Lease:
    job: str
    occurrence: Occurrence
    owner: str
    attempts: int  # including this one
    previous_error: str | None = None  # how the last attempt failed, if it did


async def _run_once(db: Database, job: Job, occurrence: Occurrence, ctx: JobContext) -> TickResult | None:
    lease = await _claim(db, job.name, occurrence, ctx.now)
    if lease is None:
        return None
    if occurrence.stale_at is not None and ctx.now >= occurrence.stale_at:
        detail = f"not run: was due {occurrence.due_at.isoformat()}, no longer useful"
        await _finish(db, lease, "skipped", detail, ctx.now)
        return TickResult(job.name, occurrence, "skipped", detail)
    try:
        async with _heartbeat(db, lease, ctx):
            detail = await job.run(ctx, occurrence)
    except Exception as error:  # recorded, retried after a backoff
        return await _failed(db, lease, error, ctx)
    if not await _finish(db, lease, "done", detail, ctx.now):
        log.warning("job %s %s finished after its lease was taken over", job.name, occurrence.key)
    return TickResult(job.name, occurrence, "ran", detail)


async def _failed(db: Database, lease: _Lease, error: Exception, ctx: JobContext) -> TickResult:
    needs_a_person = isinstance(error, SlackApiError) and describe(error) in NEEDS_A_PERSON
    detail = describe(error)
    if isinstance(error, Busy):
        log.warning("job %s %s waits: %s", lease.job, lease.occurrence.key, detail)
    else:
        log.error("job %s %s failed: %s", lease.job, lease.occurrence.key, detail, exc_info=not expected(error))
    backoff = MAX_BACKOFF if needs_a_person else min(MAX_BACKOFF, FIRST_BACKOFF * 2 ** (lease.attempts - 1))
    now = ctx.now
    await _finish(db, lease, "failed", detail, now, retry_at=now + backoff)
    # Told once: when a person's fix is first needed, or when an ordinary failure has lasted a while.
    first_of_its_kind = needs_a_person and lease.previous_error != detail
    lasted = not needs_a_person and lease.attempts == REPORT_AFTER_ATTEMPTS
    if ctx.report is not None and (first_of_its_kind or lasted):
        try:
            await ctx.report(ctx, Failure(lease.job, lease.occurrence, detail, lease.attempts, needs_a_person))
        except Exception as report_error:  # the failure is recorded; a lost alert must not hide it
            log.error("could not report the failure of %s %s: %s", lease.job, lease.occurrence.key,
                      describe(report_error))
    return TickResult(lease.job, lease.occurrence, "failed", detail)


@contextlib.asynccontextmanager
async def _heartbeat(db: Database, lease: _Lease, ctx: JobContext) -> AsyncIterator[None]:
    """Renew the lease every `heartbeat_seconds` of wall time while the job runs, so a long
    job is not taken for a crashed one."""

    async def beat() -> None:
        while True:
            await asyncio.sleep(ctx.heartbeat_seconds)
            if not await _renew(db, lease, ctx.now):
                log.warning("job %s %s lost its lease", lease.job, lease.occurrence.key)
                return

    task = asyncio.create_task(beat())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task


def _key(job: str, occurrence: Occurrence) -> tuple:
    return (
        JobRun.team_id == occurrence.team_id,
        JobRun.job == job,
        JobRun.scope == occurrence.scope,
        JobRun.occurrence == occurrence.key,
    )


async def _claim(db: Database, job: str, occurrence: Occurrence, now: datetime) -> _Lease | None:
    """Insert the run row, or take over a failed (and backed-off) or crashed one; exactly one caller wins."""
    owner = uuid.uuid4().hex
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
                "owner": owner,
                "attempts": 1,
            },
        )
        if inserted:
            return _Lease(job, occurrence, owner, 1)
        retry_due = (JobRun.status == "failed") & (JobRun.retry_at.is_(None) | (JobRun.retry_at <= now))
        crashed = (JobRun.status == "running") & (JobRun.claimed_at < now - RUN_LEASE)
        retake = await session.execute(
            update(JobRun)
            .where(*_key(job, occurrence))
            .where(retry_due | crashed)
            .values(status="running", claimed_at=now, owner=owner, attempts=JobRun.attempts + 1)
        )
        if not rowcount(retake):
            return None
        attempts, previous = (await session.execute(
            select(JobRun.attempts, JobRun.detail).where(*_key(job, occurrence))
        )).one()
    return _Lease(job, occurrence, owner, attempts or 1, previous)


async def _renew(db: Database, lease: _Lease, now: datetime) -> bool:
    async with db.session() as session:
        result = await session.execute(
            update(JobRun).where(*_key(lease.job, lease.occurrence), JobRun.owner == lease.owner,
                                 JobRun.status == "running").values(claimed_at=now)
        )
    return bool(rowcount(result))


async def _finish(db: Database, lease: _Lease, status: str, detail: str, now: datetime,
                  retry_at: datetime | None = None) -> bool:
    """Record the outcome, only while this run still owns the row; False when another run took it over."""
    async with db.session() as session:
        result = await session.execute(
            update(JobRun).where(*_key(lease.job, lease.occurrence), JobRun.owner == lease.owner)
            .values(status=status, detail=detail, finished_at=now, retry_at=retry_at)
        )
    return bool(rowcount(result))


async def forget_old_runs(db: Database, now: datetime, keep: timedelta = timedelta(days=90)) -> int:
    """Finished runs older than any occurrence a job still offers are dead weight (hourly jobs add up)."""
    async with db.session() as session:
        result = await session.execute(
            delete(JobRun).where(JobRun.status.in_(("done", "skipped")), JobRun.due_at < now - keep)
        )
        return rowcount(result)


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
