"""Purge a stopped (uninstalled) workspace's data once its grace period is over."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.scheduling import JobContext, Occurrence
from bot.workspaces.lifecycle import purge_workspace, purges_due


class PurgeWorkspaces:
    name = "workspaces.purge"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        # Recorded under "*" (not the workspace): the tick skips stopped workspaces, and the purge
        # deletes the workspace's own job runs, while this record that it happened stays.
        return [Occurrence("*", f"workspace:{team_id}", purge_at.isoformat(), due_at=purge_at)
                for team_id, purge_at in await purges_due(session, now)]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        team_id = occurrence.scope.removeprefix("workspace:")
        return f"deleted {await purge_workspace(ctx.db, team_id)} rows of workspace {team_id}"


JOBS = [PurgeWorkspaces()]
