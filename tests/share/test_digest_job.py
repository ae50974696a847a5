"""The weekly digest job: exactly once, at the cohort's digest time, never late; any volume within Slack's limits."""
from __future__ import annotations

import asyncio
import random
import re
from datetime import timedelta

from sqlalchemy import select, update

from bot.models import Cohort, JobRun
from bot.models.share import SharePost
from tests.harness import text_of
from tests.share.conftest import (
    MAIN,
    WEEK1_DIGEST,
    WEEK2_DIGEST,
    WEEK3_OPENS,
    at,
    deliver,
    digest_posts,
)

RANK = re.compile(r"\*(\d+)\.\* ")


async def test_the_digest_is_posted_once_across_repeated_and_concurrent_ticks(bot, emulator, channel, cohort):
    channel.post("UA", "my first notebook", at(11, 9))
    await bot.tick(at=WEEK2_DIGEST - timedelta(minutes=1))
    assert digest_posts(emulator) == []
    for later in (timedelta(0), timedelta(minutes=1), timedelta(hours=3), timedelta(days=1)):
        await bot.tick(at=WEEK2_DIGEST + later)
    bot.clock.set(WEEK2_DIGEST + timedelta(days=1, minutes=1))
    await asyncio.gather(*(bot.tick() for _ in range(3)))
    [main] = digest_posts(emulator)
    assert main["channel"] == MAIN and "my first notebook" in text_of(main)
    async with bot.db.session() as session:
        runs = list(await session.scalars(select(JobRun).where(JobRun.job == "share-digest")
                                          .order_by(JobRun.occurrence)))  # SQL gives no order unasked
    # week 1's digest time had passed long before the first tick, with week 2 well under way: skipped
    assert [(run.occurrence, run.status) for run in runs] == [("week-1", "skipped"), ("week-2", "done")]


async def test_a_digest_missed_by_downtime_is_skipped_not_posted_late(bot, emulator, channel, cohort):
    channel.post("UA", "shared during the outage", at(11, 9))
    results = await bot.tick(at=WEEK3_OPENS + timedelta(hours=7))  # down from before week 2's digest until now
    assert [r.outcome for r in results if r.job == "share-digest"] == ["skipped"]
    assert digest_posts(emulator) == []


async def test_a_quiet_week_gets_a_gentle_line(bot, emulator, channel, cohort):
    await bot.tick(at=WEEK1_DIGEST)
    [main] = digest_posts(emulator)
    assert "No posts this week" in text_of(main) and "Share anything, however small" in text_of(main)


async def test_the_digest_time_follows_the_cohort_setting(bot, emulator, channel, cohort):
    async with bot.db.session() as session:
        await session.execute(update(Cohort).where(Cohort.id == cohort.id).values(digest_hours_before=2))
    await bot.tick(at=WEEK2_DIGEST)
    assert digest_posts(emulator) == []
    await bot.tick(at=WEEK3_OPENS - timedelta(hours=2))
    assert len(digest_posts(emulator)) == 1


async def test_a_500_post_week_fits_slacks_limits_with_the_rest_in_the_thread(bot, emulator, channel, cohort):
    rnd = random.Random(500)
    long_words = ["fastai", "<https://example.com/a/very/long/path/to/a/notebook?with=query&amp;more=1|notebook>",
                  "&amp;", "<@UB>", "learner"]
    for i in range(500):
        text = " ".join(rnd.choice(long_words) for _ in range(rnd.randrange(1, 400)))
        message = channel.post(f"U{i % 120:04d}", text, at(10, 19) + timedelta(minutes=10 * i))
        for person in rnd.sample(range(60), rnd.randrange(0, 12)):
            message.reactions.setdefault(rnd.choice(["tada", "fire"]), []).append(f"UR{person:03d}")
    await bot.tick(at=WEEK2_DIGEST)

    posts = digest_posts(emulator)
    main, replies = posts[0], posts[1:]
    main_ts = next(c.response["ts"] for c in emulator.posted() if c.args is main)
    assert len(replies) == 10 and {reply["thread_ts"] for reply in replies} == {main_ts}
    assert all(len(message["blocks"]) <= 50 for message in posts)
    ranks = [int(rank) for message in posts for rank in RANK.findall(text_of(message))]
    assert ranks == list(range(1, 501))
    assert "*500 posts* from *120 people*" in text_of(main)
    assert len(emulator.calls_to("chat.getPermalink")) == 1
    assert bot.sleeps[-10:] == [1.0] * 10  # thread replies are paced (other jobs of the tick may wait too)


async def test_the_shown_posts_permalinks_are_stored_from_one_call(bot, emulator, channel, cohort):
    shared = [channel.post("UA", f"work {i}", at(11, 9 + i)) for i in range(3)]
    await deliver(bot, channel.events)
    await bot.tick(at=WEEK2_DIGEST)
    async with bot.db.session() as session:
        links = dict((await session.execute(select(SharePost.ts, SharePost.permalink))).all())
    assert len(emulator.calls_to("chat.getPermalink")) == 1
    assert [links[post.ts] for post in shared] == [
        f"https://studybot-test.slack.com/archives/{channel.id}/p{post.ts.replace('.', '')}" for post in shared]
