"""Catching up after downtime: one paginated conversations.history read, no call per message."""
from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import select

from bot.models.share import ShareChannel, SharePost
from bot.share.catchup import PAGE_SIZE
from bot.share.digest import compose_digest
from bot.share.ranking import engagement_of
from bot.share.store import posts_with_ts
from tests.harness import text_of
from tests.share.conftest import WEEK2_DIGEST, at, deliver, digest_posts

PER_MESSAGE_METHODS = ("conversations.replies", "reactions.get", "chat.getPermalink", "users.info")


async def test_catch_up_after_downtime_reads_bounded_pages_and_no_message_by_message(bot, emulator, channel, cohort):
    known = channel.post("UA", "seen live before the outage", at(10, 19))
    gone = channel.post("UB", "seen live, deleted while we were down", at(10, 20))
    await deliver(bot, channel.events)
    await bot.tick(at=at(10, 21))  # the hourly catch-up: the watermark is now 20:55
    emulator.calls.clear()
    bot.sleeps.clear()

    missed = [channel.post(f"U{i % 40:03d}X", f"work number {i}", at(11, 8 + i // 60, i % 60)) for i in range(450)]
    for i, message in enumerate(missed[:30]):
        channel.react(message, "UA", "tada")
        channel.react(message, "UB", "fire")
        channel.reply(message, "UC", "👏")
        if i % 2:
            channel.reply(message, "UD", "me too")
    channel.react(known, "UE", "heart")
    channel.delete(gone)
    back_online = at(14, 12, 30)
    results = await bot.tick(at=back_online)  # nothing was delivered while the bot was down

    assert [r.outcome for r in results if r.job == "share-catch-up"] == ["ran"]
    history = emulator.calls_to("conversations.history")
    assert len(history) == math.ceil(450 / PAGE_SIZE) == 3
    assert all(int(call.args["limit"]) == PAGE_SIZE for call in history)
    assert not [c.method for c in emulator.calls if c.method in PER_MESSAGE_METHODS]
    assert bot.sleeps == [1.2, 1.2]  # pages are paced
    async with bot.db.session() as session:
        rows = {row.ts: row for row in await session.scalars(select(SharePost))}
        watermark = await session.scalar(select(ShareChannel.caught_up_to))
        digest = (await compose_digest(session, cohort, 2)).digest
        [top] = await posts_with_ts(session, cohort.team_id, channel.id, [digest.ranked[0].ts])  # who engaged
    assert len(rows) == 452
    assert float(watermark) == back_online.timestamp() - 300
    assert top.ts in {m.ts for m in missed[:30]} and sorted(top.reply_user_ids) == ["UC", "UD"]
    assert {emoji: set(users) for emoji, users in top.reactions.items()} == {"tada": {"UA"}, "fire": {"UB"}}
    assert engagement_of(digest.ranked[0]) == engagement_of(top)  # ranked by what was recorded

    emulator.calls.clear()
    await bot.tick(at=at(14, 13, 1))  # the next hour reads only since the watermark: one page
    assert len(emulator.calls_to("conversations.history")) == 1

    emulator.calls.clear()
    await bot.tick(at=WEEK2_DIGEST)  # the digest re-reads its whole window: older posts' reactions, deletes
    assert len(emulator.calls_to("conversations.history")) == 1 + math.ceil(451 / PAGE_SIZE)
    assert not [c.method for c in emulator.calls if c.method in PER_MESSAGE_METHODS and c.method != "chat.getPermalink"]
    assert len(emulator.calls_to("chat.getPermalink")) == 1
    async with bot.db.session() as session:
        rows = {row.ts: row for row in await session.scalars(select(SharePost))}
        digest = (await compose_digest(session, cohort, 2)).digest
        [known_post] = await posts_with_ts(session, cohort.team_id, channel.id, [known.ts])
    assert rows[gone.ts].deleted and not rows[known.ts].deleted
    assert digest.post_count == 451
    assert dict(known_post.reactions) == {"heart": frozenset({"UE"})}
    assert engagement_of(next(post for post in digest.ranked if post.ts == known.ts)).reactions == 1
    assert "seen live, deleted" not in "".join(text_of(message) for message in digest_posts(emulator))


async def test_the_digest_catches_up_first_so_nothing_missed_is_left_out(bot, emulator, channel, cohort):
    channel.post("UA", "posted while the bot was down", at(12, 9))
    await bot.tick(at=WEEK2_DIGEST)
    [main] = digest_posts(emulator)
    assert "posted while the bot was down" in text_of(main)
    assert "first-time sharers: <@UA>" in text_of(main)


async def test_an_unreadable_share_channel_is_reported_once_an_hour_and_the_digest_still_goes_out(
        bot, emulator, channel, cohort):
    channel.post("UA", "seen live", at(12, 9))
    await deliver(bot, channel.events)
    emulator.fail_next("conversations.history", error="not_in_channel", times=2)  # someone removed the bot
    first = [r for r in await bot.tick(at=WEEK2_DIGEST) if r.job.startswith("share-")]
    again = [r for r in await bot.tick(at=WEEK2_DIGEST + timedelta(minutes=1)) if r.job.startswith("share-")]
    assert [(r.job, r.outcome) for r in first] == [("share-catch-up", "ran"), ("share-digest", "ran")] and again == []
    assert "invite the bot" in first[0].detail and "catch-up failed (not_in_channel)" in first[1].detail
    assert len(emulator.calls_to("conversations.history")) == 2
    [main] = digest_posts(emulator)
    assert "seen live" in text_of(main)
