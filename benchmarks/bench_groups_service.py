"""Time of a whole formation through the service: database, partition, channel set-up, intros.

    .venv/bin/python benchmarks/bench_groups_service.py [--members 1000] [--database sqlite|URL]

Members join a fresh database (SQLite in a temporary directory by default, or the
PostgreSQL URL given), then ``bot.groups.formation.form`` runs with a Slack client
that answers instantly, so the time is ours: queries, the optimisation, meeting
slots, rendering and bookkeeping — not Slack's latency or the pacing sleeps
(a real run waits about a second between groups on purpose).
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import random
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_form_groups import ZONE_WEIGHTS  # noqa: E402

from bot.cohorts.store import create_cohort  # noqa: E402
from bot.database import Database, upgrade  # noqa: E402
from bot.groups import formation  # noqa: E402
from bot.models.groups import GroupMember  # noqa: E402

NOW = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)


class InstantSlack:
    """Just enough of the Web API for a formation, answering at once."""

    def __init__(self) -> None:
        self.ids = itertools.count(1)
        self.calls = 0

    async def conversations_create(self, **_: object) -> dict:
        self.calls += 1
        return {"channel": {"id": f"G{next(self.ids):010d}"}}

    async def conversations_invite(self, **_: object) -> dict:
        self.calls += 1
        return {"ok": True}

    async def chat_postMessage(self, **_: object) -> dict:  # noqa: N802 - Slack's method name
        self.calls += 1
        return {"ts": f"{next(self.ids)}.000100"}


async def no_sleep(_: float) -> None:
    return None


async def run(count: int, url: str) -> None:
    await upgrade(url)
    db = Database(url)
    names = list(ZONE_WEIGHTS)
    weights = [ZONE_WEIGHTS[n] for n in names]
    rng = random.Random(2026)
    async with db.session() as session:
        cohort = await create_cohort(session, team_id="T0BENCH001", name="bench", channel_id="C0BENCH001",
                                     timezone="Europe/London", start="2026-03-03 18:00", now=NOW,
                                     organizers=["U0ORGANIZE1"])
        for i, zone in enumerate(rng.choices(names, weights=weights, k=count)):
            session.add(GroupMember(team_id="T0BENCH001", cohort_id=cohort.id, user_id=f"U{i:09d}", zone=zone,
                                    prefers=[], joined_at=NOW))
    slack = InstantSlack()
    started = time.perf_counter()
    report = await formation.form(db, slack, cohort.id, NOW, sleep=no_sleep)  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    await db.dispose()
    print(f"{count:>6} members: {seconds:6.2f} s for the whole formation ({report.planned} groups,"
          f" {slack.calls} Slack calls answered instantly, widest group {report.largest_spread} min)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, nargs="+", default=[1000])
    parser.add_argument("--database", default="sqlite", help="sqlite (a temporary file) or a PostgreSQL URL")
    args = parser.parse_args()
    for count in args.members:
        with tempfile.TemporaryDirectory() as directory:
            url = f"sqlite:///{directory}/bench.db" if args.database == "sqlite" else args.database
            asyncio.run(run(count, url))


if __name__ == "__main__":
    main()
