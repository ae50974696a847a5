"""A workspace's life: installed, stopped (uninstalled or its bot token revoked), purged after a grace period.

Stopping is shared through the database: every replica's tick sees it at once, and requests within
`StoppedWorkspaces.FRESH_SECONDS` (at once on the replica that received the goodbye event); purging
deletes every row carrying the workspace's team_id, in every table.
"""
from __future__ import annotations

import asyncio
import time
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database import Database
from bot.models import Base
from bot.models.workspaces import Workspace, slack_bots, slack_installations
from bot.store import insert_ignore, rowcount


async def mark_installed(db: Database, team_id: str, now: datetime) -> None:
    """A fresh install, or a re-install that resumes a stopped workspace before its purge."""
    async with db.session() as session:
        if not await insert_ignore(session, Workspace, {"team_id": team_id, "installed_at": now}):
            await session.execute(
                update(Workspace).where(Workspace.team_id == team_id)
                .values(installed_at=now, stopped_at=None, stop_reason=None, purge_at=None)
            )


async def stop_workspace(db: Database, team_id: str, now: datetime, reason: str, grace: timedelta) -> bool:
    """No more work for this workspace; True when this call stopped it (not already stopped).

    Its tokens are dead in Slack already; they are deleted at once rather than kept for the grace period.
    """
    async with db.session() as session:
        for table in (slack_installations, slack_bots):
            await session.execute(delete(table).where(table.c.team_id == team_id))
        await insert_ignore(session, Workspace, {"team_id": team_id, "installed_at": now})
        result = await session.execute(
            update(Workspace).where(Workspace.team_id == team_id, Workspace.stopped_at.is_(None))
            .values(stopped_at=now, stop_reason=reason, purge_at=now + grace)
        )
        return rowcount(result) > 0


async def stopped_teams(db: Database) -> set[str]:
    async with db.session() as session:
        return set(await session.scalars(select(Workspace.team_id).where(Workspace.stopped_at.is_not(None))))


async def is_stopped(db: Database, team_id: str) -> bool:
    async with db.session() as session:
        stopped_at = await session.scalar(select(Workspace.stopped_at).where(Workspace.team_id == team_id))
    return stopped_at is not None


async def purges_due(session: AsyncSession, now: datetime) -> list[tuple[str, datetime]]:
    """Stopped workspaces whose grace period is over, with the moment it ended."""
    rows = (await session.execute(
        select(Workspace.team_id, Workspace.purge_at)
        .where(Workspace.stopped_at.is_not(None), Workspace.purge_at <= now)
    )).all()
    return [(team_id, purge_at) for team_id, purge_at in rows if purge_at is not None]  # never None: `<=` in SQL


async def purge_workspace(db: Database, team_id: str) -> int:
    """Delete every row of this workspace from every table (children before parents); the row count."""
    deleted = 0
    async with db.session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if "team_id" in table.c:
                result = await session.execute(delete(table).where(table.c.team_id == team_id))
                deleted += rowcount(result)
    return deleted


async def workspace_left(db: Database, team_id: str, now: datetime, event: dict, grace: timedelta) -> bool:
    """`app_uninstalled`, or `tokens_revoked` naming bot tokens, stops the workspace; user tokens alone don't."""
    if event.get("type") == "tokens_revoked" and not (event.get("tokens") or {}).get("bot"):
        return False
    return await stop_workspace(db, team_id, now, event.get("type", "app_uninstalled"), grace)


class StoppedWorkspaces:
    """Which workspaces are stopped, as requests need it: read from the database at most every
    `FRESH_SECONDS` instead of once per request (uninstalls are rare, requests are not)."""

    FRESH_SECONDS = 10.0

    def __init__(self, db: Database) -> None:
        self.db = db
        self._teams: set[str] | None = None
        self._read_at = 0.0
        self._reading: asyncio.Future[None] | None = None  # the one read in flight, awaited by every request
        self._generation = 0  # a goodbye makes the reads begun before it worthless

    async def is_stopped(self, team_id: str) -> bool:
        while self._teams is None or time.monotonic() - self._read_at > self.FRESH_SECONDS:
            if self._reading is None:
                self._reading = asyncio.ensure_future(self._read(self._generation))
            await asyncio.shield(self._reading)
        return team_id in self._teams

    async def _read(self, generation: int) -> None:
        """One read for all the requests that find the set stale, not one each at the same moment."""
        try:
            teams = await stopped_teams(self.db)
        finally:
            if generation == self._generation:
                self._reading = None
        if generation == self._generation:
            self._teams, self._read_at = teams, time.monotonic()

    async def left(self, team_id: str, now: datetime, event: dict, grace: timedelta) -> bool:
        """The goodbye event (`workspace_left`); this process stops serving the workspace at once."""
        stopped = await workspace_left(self.db, team_id, now, event, grace)
        self._teams, self._reading, self._generation = None, None, self._generation + 1
        return stopped
