"""Benchmark: the weekly-rhythm jobs in one tick, for many cohorts (SQLite file, fake Slack client).

Run from the repo root:  .venv/bin/python benchmarks/bench_rhythm_tick.py [COHORTS]
Prints the time of the first tick (every cohort's week opens: one post each) and
the best-of-N time of the steady-state tick that finds nothing to do — the one
`studybot serve` runs every 30 seconds.
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.cohorts.store import create_cohort
from bot.database import Database, upgrade
from bot.scheduling import JobContext, tick
from schedules.rhythm import JOBS

ZONES = ["America/New_York", "Australia/Sydney", "Europe/London", "Asia/Kolkata", "America/Los_Angeles"]
RUNS = 5


class FakeSlack:
    def __init__(self) -> None:
        self.posts = 0

    async def chat_postMessage(self, **_: object) -> dict:
        self.posts += 1
        return {"ok": True, "ts": f"1700000000.{self.posts:06d}"}


async def main(cohorts: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        await upgrade(url)
        db = Database(url)
        start = datetime(2026, 3, 1, tzinfo=UTC)
        async with db.session() as session:
            for n in range(cohorts):
                await create_cohort(session, team_id="T0BENCH001", name=f"c{n}", channel_id=f"C{n:010d}",
                                    timezone=ZONES[n % len(ZONES)], start="2026-03-03 00:00", now=start,
                                    session_time="thu 18:00")
        slack = FakeSlack()
        now = datetime(2026, 3, 3, 14, 0, tzinfo=UTC)  # week 1 is open everywhere
        began = time.perf_counter()
        await tick(db, JOBS, JobContext(db=db, now=now, client_for=lambda _: slack))
        first = time.perf_counter() - began
        steady = []
        for run in range(RUNS):
            began = time.perf_counter()
            await tick(db, JOBS, JobContext(db=db, now=now + timedelta(minutes=run + 1), client_for=lambda _: slack))
            steady.append(time.perf_counter() - began)
        await db.dispose()
    print(f"{cohorts} cohorts: first tick {first:.2f} s ({slack.posts} posts); "
          f"steady-state tick best of {RUNS}: {min(steady) * 1000:.0f} ms")


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 200))
