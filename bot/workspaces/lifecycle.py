"""A workspace's life: installed, stopped (uninstalled or its bot token revoked), purged after a grace period.

Stopping is immediate and shared through the database, so every replica's tick and every request
sees it at once; purging deletes every row carrying the workspace's team_id, in every table.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database import Database
from bot.models import Base
from bot.models.workspaces import Workspace, slack_bots, slack_installations
from bot.store import insert_ignore


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
        return (result.rowcount or 0) > 0


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
        select(Workspace.team_id, Workspace.purge_at).where(Workspace.stopped_at.is_not(None), Workspace.purge_at <= now)
    )).all()
    return [(team_id, purge_at) for team_id, purge_at in rows]


async def purge_workspace(db: Database, team_id: str) -> int:
    """Delete every row of this workspace from every table (children before parents); the row count."""
    deleted = 0
    async with db.session() as session:
        for table in reversed(Base.metadata.sorted_tables):
            if "team_id" in table.c:
                result = await session.execute(delete(table).where(table.c.team_id == team_id))
                deleted += result.rowcount or 0
    return deleted


async def workspace_left(db: Database, team_id: str, now: datetime, event: dict, grace: timedelta) -> bool:
    """`app_uninstalled`, or `tokens_revoked` naming bot tokens, stops the workspace; user tokens alone don't."""
    if event.get("type") == "tokens_revoked" and not (event.get("tokens") or {}).get("bot"):
        return False
    return await stop_workspace(db, team_id, now, event.get("type", "app_uninstalled"), grace)
