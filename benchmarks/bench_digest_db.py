"""Benchmark: a week's digest from the database — 10,000 recorded posts in SQLite → load + build + render.

The posts, replies and reactions are inserted in bulk and then counted once (`share_tallies`), as the
events would have counted them; the timed part reads them as the digest job does.

Run from the repo root:  .venv/bin/python benchmarks/bench_digest_db.py [--posts N] [DATABASE_URL]
Default: 10,000 posts in a throw-away SQLite file (`python -m benchmarks --quick` runs 500).
Prints the set-up size, then the best and median wall time and the best CPU time (the
process's, the database thread included: what a loaded machine does not distort) of
scoring and ranking the week's posts and rendering the digest messages.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.cohorts.store import create_cohort  # noqa: E402
from bot.database import Database, upgrade  # noqa: E402
from bot.models.share import SharePost, ShareReaction, ShareReply  # noqa: E402
from bot.share.digest import compose_digest  # noqa: E402
from bot.share.store import insert_ignore_many, new_post_values, ts_at, version_of  # noqa: E402
from bot.share.tallies import recount_channel  # noqa: E402
from bot.share.views import render_digest  # noqa: E402

POSTS = 10_000
MEMBERS = 3_000
RUNS = 5
SEED = 20240601
TEAM = "T0BENCH01"
CHANNEL = "C0SHARE001"
EMOJI = ["tada", "fire", "heart", "eyes", "100", "raised_hands"]


async def populate(db: Database, posts_wanted: int = POSTS) -> tuple[object, int, int]:
    rnd = random.Random(SEED)
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    async with db.session() as session:
        cohort = await create_cohort(session, team_id=TEAM, name="bench", channel_id="C0FASTBOOK", timezone="UTC",
                                     start="2026-03-03 18:00", now=now, share_channel_id=CHANNEL)
    week_start = datetime(2026, 3, 9, 18, tzinfo=UTC)  # week 2's digest window
    members = [f"U{i:08d}" for i in range(MEMBERS)]
    posts, replies, reactions = [], [], []
    for i in range(posts_wanted):
        ts = ts_at(week_start + timedelta(seconds=rnd.randrange(7 * 86_400), microseconds=i))
        user = rnd.choice(members)
        posts.append({**new_post_values(cohort, CHANNEL, ts, now), "user_id": user, "source": "event",
                      "text": " ".join(rnd.choice(["fastai", "learner", "<https://fast.ai|docs>"]) for _ in range(30)),
                      "content_version": version_of(ts), "deleted": rnd.random() < 0.01})
        for _ in range(rnd.randrange(10)):
            reply_ts = ts_at(week_start + timedelta(days=8, microseconds=len(replies)))
            replies.append({"team_id": TEAM, "channel_id": CHANNEL, "post_ts": ts, "reply_ts": reply_ts,
                            "user_id": rnd.choice(members), "deleted": False, "first_seen_at": now})
        for emoji in rnd.sample(EMOJI, rnd.randrange(len(EMOJI))):
            for reactor in rnd.sample(members, rnd.randrange(12)):
                reactions.append({"team_id": TEAM, "channel_id": CHANNEL, "post_ts": ts, "user_id": reactor,
                                  "emoji": emoji, "present": True, "version": version_of(ts)})
    async with db.session() as session:
        for model, rows in ((SharePost, posts), (ShareReply, replies), (ShareReaction, reactions)):
            for start in range(0, len(rows), 5_000):
                await insert_ignore_many(session, model, rows[start:start + 5_000])
        await recount_channel(session, TEAM, CHANNEL)  # what the events would have counted, one by one
    return cohort, len(replies), len(reactions)


async def main(url: str | None, posts: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = url or f"sqlite:///{folder}/bench.db"
        await upgrade(url)
        db = Database(url)
        cohort, reply_count, reaction_count = await populate(db, posts)
        print(f"posts: {posts:,}  replies: {reply_count:,}  reactions: {reaction_count:,}  ({url.split(':')[0]})")
        timings, load_timings, cpu_timings = [], [], []
        for _ in range(RUNS):
            started, cpu_started = time.perf_counter(), time.process_time()
            async with db.session() as session:
                composed = await compose_digest(session, cohort, 2)
            loaded = time.perf_counter()
            messages = render_digest(composed.digest, cohort.name)
            timings.append(time.perf_counter() - started)
            cpu_timings.append(time.process_time() - cpu_started)
            load_timings.append(loaded - started)
        blocks = sum(len(message["blocks"]) for message in messages)
        print(f"digest: {composed.digest.post_count:,} live posts  messages: {len(messages)}  blocks: {blocks}")
        print(f"load + build (SQL, ranking): best {min(load_timings) * 1000:.0f} ms, "
              f"median {statistics.median(load_timings) * 1000:.0f} ms")
        print(f"load + build + render: best {min(timings) * 1000:.0f} ms, "
              f"median {statistics.median(timings) * 1000:.0f} ms "
              f"over {RUNS} runs, CPU best {min(cpu_timings) * 1000:.0f} ms")
        await db.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=POSTS)
    parser.add_argument("database_url", nargs="?")
    options = parser.parse_args()
    asyncio.run(main(options.database_url, options.posts))
