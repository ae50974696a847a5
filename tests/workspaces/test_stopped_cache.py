"""Which workspaces are stopped is read once for a burst of requests, and a goodbye is seen at once."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.database import Database
from bot.workspaces import lifecycle
from bot.workspaces.lifecycle import StoppedWorkspaces, stop_workspace
from tests.perf.queries import statements

NOW = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)


async def test_a_burst_of_requests_reads_the_stopped_workspaces_once(database_url):
    db = Database(database_url)
    try:
        await stop_workspace(db, "T0GONE", NOW, "app_uninstalled", timedelta(days=30))
        stopped = StoppedWorkspaces(db)
        with statements(db) as seen:
            answers = await asyncio.gather(*(stopped.is_stopped(team) for team in ["T0GONE", "T0HERE"] * 8))
        assert answers == [True, False] * 8
        assert len(seen) == 1, seen
    finally:
        await db.dispose()


async def test_a_goodbye_during_a_read_is_not_undone_by_that_read(database_url, monkeypatch):
    db = Database(database_url)
    read, finish = asyncio.Event(), asyncio.Event()
    real = lifecycle.stopped_teams

    async def slow_read(db: Database) -> set[str]:
        teams = await real(db)
        read.set()
        await finish.wait()
        return teams

    monkeypatch.setattr(lifecycle, "stopped_teams", slow_read)
    try:
        stopped = StoppedWorkspaces(db)
        reading = asyncio.ensure_future(stopped.is_stopped("T0GONE"))
        await read.wait()  # the read saw no stopped workspace ...
        await stopped.left("T0GONE", NOW, {"type": "app_uninstalled"}, timedelta(days=30))
        finish.set()  # ... and ends after the goodbye
        assert await reading
        assert await stopped.is_stopped("T0GONE")
    finally:
        await db.dispose()
