"""The digest's stored counts (`share_tallies`) rank exactly as the Python formula does over the whole posts."""
from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete

from bot.cohorts.store import create_cohort, rhythm_of
from bot.database import Database
from bot.models.share import SharePost, ShareReaction, ShareReply, ShareTally
from bot.share.digest import MAX_SHOWN, compose_digest
from bot.share.digest_timing import digest_window
from bot.share.ranking import build_digest, engagement_of
from bot.share.store import insert_ignore_many, new_post_values, posts_with_ts, ts_at, version_of
from bot.share.tallies import recount_channel, scored_posts_in_window
from bot.share.views import render_digest

TEAM, CHANNEL = "T0STUDY01", "C0SHARE001"


async def test_stored_counts_rank_like_the_python_formula(database_url):
    rnd = random.Random(7)
    db = Database(database_url)
    now = datetime(2026, 3, 2, 12, tzinfo=UTC)
    async with db.session() as session:
        cohort = await create_cohort(session, team_id=TEAM, name="c", channel_id="C0FASTBOOK", timezone="UTC",
                                     start="2026-03-03 18:00", now=now, share_channel_id=CHANNEL)
    week_start = datetime(2026, 3, 9, 18, tzinfo=UTC)
    people = [f"U{i:04d}" for i in range(12)]  # few people: caps, self-engagement and ties all happen
    posts, replies, reactions = [], [], []
    for i in range(150):
        ts = ts_at(week_start + timedelta(seconds=rnd.randrange(6 * 86_400), microseconds=i))
        author = rnd.choice(people)
        history = rnd.random() < 0.1  # a thread read from history: replies topped up in Python
        posts.append({**new_post_values(cohort, CHANNEL, ts, now), "user_id": author, "source": "event",
                      "text": f"post {i}", "content_version": version_of(ts), "deleted": rnd.random() < 0.05,
                      "history_reply_count": rnd.randrange(1, 9) if history else 0,
                      "history_reply_users": rnd.sample(people, 3) if history else []})
        for _ in range(rnd.randrange(8)):
            replies.append({"team_id": TEAM, "channel_id": CHANNEL, "post_ts": ts, "reply_ts": f"{len(replies)}.1",
                            "user_id": rnd.choice(people + [None]), "deleted": rnd.random() < 0.1,
                            "first_seen_at": now})
        for emoji in rnd.sample(["tada", "fire", "eyes", "heart", "100"], rnd.randrange(6)):
            for user in rnd.sample(people, rnd.randrange(6)):
                reactions.append({"team_id": TEAM, "channel_id": CHANNEL, "post_ts": ts, "user_id": user,
                                  "emoji": emoji, "present": rnd.random() < 0.9, "version": version_of(ts)})
    async with db.session() as session:
        for model, rows in ((SharePost, posts), (ShareReply, replies), (ShareReaction, reactions)):
            await insert_ignore_many(session, model, rows)
        await recount_channel(session, TEAM, CHANNEL)  # as the events would have counted them
        # A post without a tally (rows written around the recount) is scored from its rows.
        await session.execute(delete(ShareTally).where(ShareTally.post_ts.in_([p["ts"] for p in posts[::7]])))
    window = digest_window(rhythm_of(cohort), 2, cohort.digest_hours_before)
    async with db.session() as session:
        light, scores = await scored_posts_in_window(session, TEAM, CHANNEL, window)
        whole = await posts_with_ts(session, TEAM, CHANNEL, [post.ts for post in light])
        composed = await compose_digest(session, cohort, 2)
    await db.dispose()
    expected = build_digest(2, whole, set())
    assert len(light) == len(whole) > 100
    assert [p.ts for p in composed.digest.ranked] == [p.ts for p in expected.ranked]
    # Shown posts as rendered: the same text, title, links and engagement (counted, or from the whole rows).
    shown, expected_shown = composed.digest.ranked[:MAX_SHOWN], expected.ranked[:MAX_SHOWN]
    assert [(p.text, p.title, p.links, p.files, engagement_of(p)) for p in shown] == \
        [(p.text, p.title, p.links, p.files, engagement_of(p)) for p in expected_shown]
    assert render_digest(composed.digest, "c") == render_digest(expected, "c")
    assert any(p.counted for p in shown) and any(p.counted is None for p in shown)  # both ways are exercised
    assert composed.digest.first_timers == expected.first_timers
    assert len({scores.get(p.ts, 0.0) for p in light}) > 10  # the ranking is not decided by ties alone
