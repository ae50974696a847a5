"""Each share post's stored counts (`share_tallies`) always equal what its reply and reaction rows say,
whatever order events arrive in, however often, with removals, deletions, catch-ups and forget-me between."""
from __future__ import annotations

import asyncio
import random
from datetime import timedelta

import pytest
from alembic import command
from sqlalchemy import select

from bot.cohorts.store import create_cohort
from bot.database import Database, _alembic_config, upgrade
from bot.models.share import SharePost, ShareReaction, ShareReply, ShareTally
from bot.privacy.forget import forget_member
from bot.share.digest import compose_digest
from bot.share.posts import Engagement
from bot.share.ranking import build_digest, engagement_of, score_of
from bot.share.store import insert_ignore_many, new_post_values, posts_with_ts, ts_at, version_of
from bot.share.tallies import COUNTS, NOTHING, engagement_counts, recount_channel
from tests.share.conftest import MEMBERS, SHARE, at, event_id
from tests.share.test_share_command import open_modal, state

EMOJI = ["tada", "fire", "heart"]


def act_out(channel, rnd: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Members post, reply, react, take reactions back, edit and delete, as Slack would let them."""
    posts, replies, when = [], [], at(10, 9)
    for step in range(90):
        when += timedelta(minutes=37)
        roll = rnd.random()
        if not posts or roll < 0.07:
            posts.append(channel.post(rnd.choice(MEMBERS), f"post {step}", when))
        elif roll < 0.35:
            replies.append(channel.reply(rnd.choice(posts), rnd.choice(MEMBERS), f"reply {step}", when))
        elif roll < 0.42 and replies:
            channel.delete(replies.pop(rnd.randrange(len(replies))), when)
        elif roll < 0.75:
            message, user, emoji = rnd.choice(posts + replies[:2]), rnd.choice(MEMBERS), rnd.choice(EMOJI)
            if user not in message.reactions.get(emoji, []):
                channel.react(message, user, emoji, when)
        elif roll < 0.9:
            present = [(m, u, e) for m in posts for e, users in m.reactions.items() for u in users]
            if present:
                message, user, emoji = rnd.choice(present)
                channel.unreact(message, user, emoji, when)
        elif roll < 0.96:
            channel.edit(rnd.choice(posts), f"edited at {step}", when)
        elif len(posts) > 3:
            channel.delete(posts.pop(rnd.randrange(len(posts))), when)


async def deliver_out_of_order_and_twice(bot, events: list[dict], rnd: random.Random) -> None:  # type: ignore[no-untyped-def]
    """Nearby events swapped, a quarter redelivered under their id, some seen again under a new one."""
    order = sorted(range(len(events)), key=lambda i: i + rnd.uniform(0, 6))
    for i in order:
        event = events[i]
        assert (await bot.event(event, event_id=event_id(event))).status == 200
        if rnd.random() < 0.25:
            await bot.event(event, event_id=event_id(event), retry_num=1)
        if rnd.random() < 0.1:
            await bot.event(event)
        await bot.settle()


async def assert_counts_match_the_rows(bot, cohort) -> dict[str, tuple[int, ...]]:  # type: ignore[no-untyped-def]
    """Every tally equals a fresh count of its rows, and every live post's equals `engagement_of` its whole post."""
    async with bot.db.session() as session:
        tallies = {row.post_ts: tuple(getattr(row, name) for name in COUNTS)
                   for row in await session.scalars(select(ShareTally))}
        fresh = await engagement_counts(session, bot.team_id, SHARE, sorted(tallies))
        all_ts = list(await session.scalars(select(SharePost.ts)))
        whole = await posts_with_ts(session, bot.team_id, SHARE, all_ts)
        digest = (await compose_digest(session, cohort, 2)).digest
    assert all_ts and set(all_ts) <= set(tallies)
    assert tallies == {ts: fresh.get(ts, NOTHING) for ts in tallies}
    for post in whole:
        people, reactions, replies, capped_reactions, capped_replies = tallies[post.ts]
        score = score_of(people, capped_reactions, capped_replies)
        assert engagement_of(post) == Engagement(people, reactions, replies, score), post.ts
    assert [p.ts for p in digest.ranked] == [p.ts for p in build_digest(2, whole, set()).ranked]  # all in week 2
    return tallies


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_counts_follow_events_in_any_order_redelivered_and_taken_back(bot, emulator, channel, cohort, seed):
    rnd = random.Random(seed)
    act_out(channel, rnd)
    events = list(channel.events)
    half = len(events) // 2
    await deliver_out_of_order_and_twice(bot, events[:half], rnd)
    await bot.tick(at=at(14, 20))  # a catch-up reads the channel as it is now: history counts, reactions
    await deliver_out_of_order_and_twice(bot, events[half:], rnd)

    tallies = await assert_counts_match_the_rows(bot, cohort)
    kinds = {event.get("subtype") or event["type"] for event in events}
    assert {"reaction_added", "reaction_removed", "message_deleted", "message_changed"} <= kinds
    assert sum(1 for counts in tallies.values() if counts[0] >= 2) >= 3  # the checks compare real engagement

    async with bot.db.session() as session:
        replier = await session.scalar(select(ShareReply.user_id).where(ShareReply.deleted.is_(False)).limit(1))
    await forget_member(bot.db, bot.team_id, replier, bot.clock.now())  # their replies and reactions no longer count
    await assert_counts_match_the_rows(bot, cohort)


async def test_a_reaction_before_its_post_and_the_authors_own_are_counted_right(bot, channel, cohort):
    post = channel.post("UA", "my notebook", at(11, 9))
    channel.react(post, "UB", "tada", at(11, 10))
    channel.react(post, "UA", "tada", at(11, 10))  # the author's own: not counted
    channel.reply(post, "UC", "nice", at(11, 11))
    for event in [*channel.events[1:], channel.events[0]]:  # the post arrives last
        await bot.event(event, event_id=event_id(event))
        await bot.settle()
    tallies = await assert_counts_match_the_rows(bot, cohort)
    assert tallies[post.ts][:3] == (2, 1, 1)


async def test_the_migration_counts_existing_rows_like_the_events_would(database_url):
    # The cohort is created with today's columns; then the database goes back to before 0010 (alembic runs its
    # own event loop: off this one).
    rnd = random.Random(5)
    db = Database(database_url)
    now = at(2, 12)
    async with db.session() as session:
        cohort = await create_cohort(session, team_id="T0STUDY01", name="c", channel_id="C0FASTBOOK",
                                     timezone="UTC", start="2026-03-03 18:00", now=now, share_channel_id=SHARE)
    await db.dispose()
    await asyncio.to_thread(command.downgrade, _alembic_config(database_url), "0009")
    db = Database(database_url)
    posts, replies, reactions = [], [], []
    for i in range(60):
        ts = ts_at(at(10, 9) + timedelta(minutes=i))
        history = i % 6 == 0  # a thread read from history: left to the events and catch-ups to count
        posts.append({**new_post_values(cohort, SHARE, ts, now), "user_id": rnd.choice(MEMBERS), "source": "event",
                      "content_version": version_of(ts), "deleted": i % 10 == 0,
                      "history_reply_count": 5 if history else 0, "history_reply_users": ["UA"] if history else []})
        for j in range(rnd.randrange(7)):
            replies.append({"team_id": "T0STUDY01", "channel_id": SHARE, "post_ts": ts, "reply_ts": f"{i}.{j}",
                            "user_id": rnd.choice(MEMBERS + [None]), "deleted": rnd.random() < 0.2,
                            "first_seen_at": now})
        for emoji in EMOJI:
            for user in rnd.sample(MEMBERS, rnd.randrange(5)):
                reactions.append({"team_id": "T0STUDY01", "channel_id": SHARE, "post_ts": ts, "user_id": user,
                                  "emoji": emoji, "present": rnd.random() < 0.8, "version": version_of(ts)})
    async with db.session() as session:
        for model, rows in ((SharePost, posts), (ShareReply, replies), (ShareReaction, reactions)):
            await insert_ignore_many(session, model, rows)
    await db.dispose()
    await upgrade(database_url)  # 0010: the backfill

    db = Database(database_url)
    async with db.session() as session:
        migrated = {row.post_ts: (row.posted_at, *(getattr(row, name) for name in COUNTS))
                    for row in await session.scalars(select(ShareTally))}
        await recount_channel(session, "T0STUDY01", SHARE)
    async with db.session() as session:
        counted = {row.post_ts: (row.posted_at, *(getattr(row, name) for name in COUNTS))
                   for row in await session.scalars(select(ShareTally))}
    await db.dispose()
    without_history = {p["ts"] for p in posts if not p["history_reply_count"]}
    assert set(migrated) == without_history and len(counted) == len(posts)
    assert migrated == {ts: counted[ts] for ts in without_history}
    assert sum(1 for row in migrated.values() if row[1] >= 2) > 20


async def test_a_reaction_that_beats_the_share_form_post_to_the_record_is_counted(bot, emulator, cohort):
    bot.clock.set(at(11, 9))
    ts = f"{int(at(11, 9).timestamp())}.000000"  # the ts Slack gives the form's post
    reaction = {"type": "reaction_added", "user": "UB", "reaction": "tada", "item_user": "UBOT00001",
                "item": {"type": "message", "channel": SHARE, "ts": ts}, "event_ts": ts}
    assert (await bot.event(reaction)).status == 200
    await bot.settle()
    view = await open_modal(bot, emulator, user="UA")
    await bot.submit(view, state(title="Bears", link="https://colab.research.google.com/x", notes="n"), user="UA")
    [call] = emulator.posted(SHARE)
    assert call.response["ts"] == ts
    tallies = await assert_counts_match_the_rows(bot, cohort)
    assert tallies[ts][:3] == (1, 1, 0)


async def test_concurrent_events_on_one_post_leave_counts_that_match_its_rows(bot, emulator, channel, cohort):
    """Each recount locks the post's tally first, so the last one to commit has seen everyone's rows."""
    post = channel.post("UA", "popular", at(11, 9))
    people = [f"UF{i:03d}" for i in range(24)]
    for user in people:
        channel.react(post, user, "tada", at(11, 10))
    for user in people[::3]:
        channel.reply(post, user, "wow", at(11, 11))
    for user in people[::4]:
        channel.unreact(post, user, "tada", at(11, 12))
    await asyncio.gather(*(bot.event(event, event_id=event_id(event)) for event in channel.events))
    await bot.settle()
    tallies = await assert_counts_match_the_rows(bot, cohort)
    assert tallies[post.ts][:3] == (len(people) - len(people[::4]) + 2, 18, 8)
