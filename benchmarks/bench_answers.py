"""Benchmark: 1,000 members reply to one prompt at the same moment, through signed HTTP events.

Run from the repo root:  .venv/bin/python benchmarks/bench_answers.py [DATABASE_URL]
(default: a fresh SQLite file). Prints the wall time until every event is handled,
and checks that no answer was lost or duplicated, each reply got one ✅, and the
prompt's count needed a bounded number of `chat.update` calls.
"""
from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select, update

from bot.clock import FixedClock
from bot.database import upgrade_sync
from bot.models import Cohort, Question
from bot.models.questionnaire import Answer, Prompt
from bot.scheduling import tick
from schedules.questionnaire import JOBS
from tests.emulator import SlackEmulator
from tests.harness import StudyBot

MEMBERS = 1_000
CHANNEL = "C0BENCHMARK"
WEEK1 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)


async def main(database_url: str) -> None:
    clock = FixedClock(WEEK1)
    emulator = SlackEmulator()
    emulator.workspace.now = lambda: clock.now().timestamp()
    await emulator.start()
    emulator.workspace.add_channel(CHANNEL, "bench")
    bot = await StudyBot.start(emulator, database_url, clock)
    try:
        cohort = await bot.create_cohort("bench", channel_id=CHANNEL)
        async with bot.db.session() as session:
            await session.execute(update(Cohort).where(Cohort.id == cohort.id).values(prompts_per_day=None))
            session.add(Question(team_id=bot.team_id, cohort_id=cohort.id, chapter=1, position=1,
                                 text="What is a tensor?", imported_at=WEEK1))
        await tick(bot.db, JOBS, bot.runtime.job_context())
        async with bot.db.session() as session:
            thread = await session.scalar(select(Prompt.ts))
        events = []
        for index in range(MEMBERS):
            message = emulator.workspace.post(CHANNEL, f"answer {index}", user=f"U{index:09d}", thread_ts=thread)
            events.append({"type": "message", "channel": CHANNEL, "user": message.user, "text": message.text,
                           "ts": message.ts, "thread_ts": thread, "channel_type": "channel"})
        started = time.perf_counter()
        await asyncio.gather(*(bot.event(event) for event in events))
        acked = time.perf_counter() - started
        await bot.settle(timeout=600)
        handled = time.perf_counter() - started
        clock.advance(minutes=1)
        await tick(bot.db, JOBS, bot.runtime.job_context())
        async with bot.db.session() as session:
            rows = await session.scalar(select(func.count()).select_from(Answer))
        reactions = len(emulator.calls_to("reactions.add"))
        updates = emulator.calls_to("chat.update")
        print(f"{MEMBERS} replies at once on {database_url.split(':')[0]}: all acked in {acked:.1f}s, "
              f"all handled in {handled:.1f}s")
        final_count_shown = f"{MEMBERS} members answered" in str(updates[-1].args)
        print(f"answers stored: {rows}, ✅ reactions: {reactions}, chat.update calls: {len(updates)}, "
              f"final count shown: {final_count_shown}")
        assert rows == MEMBERS and reactions == MEMBERS and len(updates) <= 3 and final_count_shown
        assert not emulator.violations, emulator.violations
    finally:
        await bot.stop()
        await emulator.stop()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        url = sys.argv[1]
    else:
        url = f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    upgrade_sync(url)
    asyncio.run(main(url))
