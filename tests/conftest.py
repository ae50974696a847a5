"""Fixtures: a migrated database (SQLite, or PostgreSQL when STUDYBOT_TEST_DATABASE_URL says so),
the Slack emulator, and a running bot wired to both."""
from __future__ import annotations

import asyncio
import os
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings
from sqlalchemy import text

from bot.clock import FixedClock
from bot.database import upgrade_sync
from bot.models import Base
from tests.emulator import SlackEmulator
from tests.harness import StudyBot

# Property tests explore the same examples on every run, so CI is deterministic.
settings.register_profile("studybot", derandomize=True, database=None, deadline=None)
settings.register_profile("long", database=None, deadline=None)  # `pytest --hypothesis-profile=long`: explore, randomly
settings.load_profile("studybot")

PG_URL = os.environ.get("STUDYBOT_TEST_DATABASE_URL", "")
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def _migrated_template(tmp_path_factory: pytest.TempPathFactory) -> str:
    if PG_URL:
        upgrade_sync(PG_URL)
        return PG_URL
    path = tmp_path_factory.mktemp("db") / "template.db"
    upgrade_sync(f"sqlite:///{path}")
    return str(path)


@pytest.fixture
def database_url(_migrated_template: str, tmp_path: Path) -> str:
    """A migrated, empty database for one test."""
    if PG_URL:
        _truncate_all(PG_URL)
        return PG_URL
    path = tmp_path / "studybot.db"
    shutil.copy(_migrated_template, path)
    return f"sqlite:///{path}"


def _truncate_all(url: str) -> None:
    async def run() -> None:
        from sqlalchemy.ext.asyncio import create_async_engine

        from bot.database import async_url

        engine = create_async_engine(async_url(url))
        async with engine.begin() as connection:
            names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        await engine.dispose()

    asyncio.run(run())


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
async def emulator(clock: FixedClock):
    emulator = SlackEmulator()
    emulator.workspace.now = lambda: clock.now().timestamp()
    await emulator.start()
    emulator.workspace.add_user("U1", "ada", tz="Europe/London", tz_offset=0)
    emulator.workspace.add_user("UADMIN", "grace", is_admin=True, tz="America/New_York", tz_offset=-18000)
    emulator.workspace.add_channel("C0STUDY001", "fastbook", members={"U1", "UADMIN"})
    yield emulator
    await emulator.stop()
    expected = getattr(emulator, "expected_violations", 0)
    assert len(emulator.violations) == expected, f"Slack API misuse: {emulator.violations}"


@pytest.fixture
async def bot(emulator: SlackEmulator, database_url: str, clock: FixedClock):
    started = await StudyBot.start(emulator, database_url, clock)
    yield started
    await started.stop()
