"""Following the share channel through events that arrive out of order and twice, then the week's digest."""
from __future__ import annotations

import random
import re

from sqlalchemy import func, select

from bot.models.share import SharePost, ShareReaction
from bot.share.digest import compose_digest
from tests.harness import text_of
from tests.share.conftest import (
    MAIN,
    SHARE,
    WEEK2_DIGEST,
    at,
    deliver,
    digest_posts,
    event_id,
)

RANK_LINE = re.compile(r"\*(\d+)\.\* (.+?) · by <@(\w+)>")


def act_out_week_two(channel):  # type: ignore[no-untyped-def]
    """A week of sharing; returns the events that must arrive in a tricky order, and all the others."""
    channel.post("UOLD", "my week-one notebook", at(5, 12))  # an earlier sharer, in week 1's digest
    late = channel.post("UA", "late week-one work: pets classifier", at(10, 10))  # after week 1's digest
    a = channel.post("UA", "Bear classifier deployed! <https://bears.example|demo>", at(11, 9))
    b = channel.post("UOLD", "MNIST from scratch", at(11, 12))
    c = channel.post("UC", "first draft", at(12, 9))
    d = channel.post("UD", "oops wrong channel", at(12, 12))
    e = channel.post("UB", "Blog post: what I learned about SGD", at(13, 9))
    channel.react(d, "UA", "tada", at(12, 12, 30))  # on a post deleted later
    tricky = []
    edit_c = channel.edit(c, "Collaborative filtering notebook\nwith notes", at(12, 10))
    tricky.append((edit_c, channel.events[4]))  # the edit arrives before the post
    delete_d = channel.delete(d, at(12, 13))
    tricky.append((delete_d, channel.events[5]))  # the delete arrives before the post
    channel.reply(e, "UA", "great write-up", at(13, 10))
    tricky.append((channel.events[-1], channel.events[6]))  # a reply arrives before its post
    channel.reply(e, "UC", "thanks!", at(13, 11))
    doomed = channel.reply(e, "UD", "spam", at(13, 12))
    channel.delete(doomed, at(13, 13))
    for user, emoji in [("UB", "tada"), ("UC", "tada"), ("UD", "heart")]:
        channel.react(a, user, emoji, at(14, 9))
    channel.reply(a, "UB", "how did you deploy it?", at(14, 10))
    channel.react(b, "UA", "tada", at(14, 11))
    channel.react(b, "UA", "heart", at(14, 11))
    added = channel.react(b, "UA", "fire", at(14, 12))
    removed = channel.unreact(b, "UA", "fire", at(14, 13))
    tricky.append((removed, added))  # the removal arrives before the addition
    channel.reply(b, "UA", "q1", at(14, 14))
    channel.reply(b, "UA", "q2", at(14, 15))
    channel.react(c, "UA", "tada", at(15, 9))
    channel.react(c, "UC", "tada", at(15, 9))  # the author's own reaction doesn't count
    assert late.ts
    firsts = [event for pair in tricky for event in pair]
    rest = [event for event in channel.events if all(event is not other for other in firsts)]
    return firsts, rest


async def test_a_week_of_events_out_of_order_and_twice_converges_to_the_expected_digest(bot, emulator, channel, cohort):
    firsts, rest = act_out_week_two(channel)
    shuffled = list(rest)
    random.Random(6).shuffle(shuffled)
    await deliver(bot, firsts + shuffled)
    for event in shuffled[::3]:  # redelivered by Slack under the same event id, or seen again under a new one
        await bot.event(event, event_id=event_id(event), retry_num=1)
        await bot.event(event)
    await bot.settle()

    async with bot.db.session() as session:
        digest = (await compose_digest(session, cohort, 2)).digest
        total_posts = await session.scalar(select(func.count()).select_from(SharePost))
        fire = await session.scalar(select(ShareReaction).where(ShareReaction.emoji == "fire"))
    assert total_posts == 7
    assert fire is not None and not fire.present
    assert [(post.user_id, post.text.splitlines()[0]) for post in digest.ranked] == [
        ("UA", "Bear classifier deployed! <https://bears.example|demo>"),  # 3 people, 3 reactions, 1 reply
        ("UB", "Blog post: what I learned about SGD"),  # 2 people, 2 replies
        ("UOLD", "MNIST from scratch"),  # 1 person: 2 reactions, 2 replies
        ("UC", "Collaborative filtering notebook"),  # 1 person, 1 reaction (not the author's own)
        ("UA", "late week-one work: pets classifier"),  # no engagement
    ]
    assert (digest.post_count, digest.sharer_count) == (5, 4)
    assert digest.first_timers == ["UA", "UC", "UB"]

    await bot.tick(at=WEEK2_DIGEST)
    [main] = digest_posts(emulator)
    assert main["channel"] == MAIN
    shown = RANK_LINE.findall(text_of(main))
    assert [(rank, author) for rank, _, author in shown] == [("1", "UA"), ("2", "UB"), ("3", "UOLD"), ("4", "UC"),
                                                             ("5", "UA")]
    assert shown[3][1] == "Collaborative filtering notebook"
    assert "5 posts* from *4 people" in text_of(main)
    assert "first-time sharers: <@UA>, <@UC>, <@UB>!" in text_of(main)
    assert "oops wrong channel" not in text_of(main)
    assert len(emulator.calls_to("chat.getPermalink")) == 1
    assert "https://studybot-test.slack.com/archives/C0SHARE001/p" in text_of(main)


async def test_messages_elsewhere_and_bot_posts_are_not_recorded(bot, emulator, channel, cohort):
    emulator.workspace.add_channel("C0OTHER001", "random", members={"UA"})
    await deliver(bot, [
        {"type": "message", "channel": "C0OTHER001", "user": "UA", "text": "hello", "ts": "1772800000.000100"},
        {"type": "message", "channel": SHARE, "bot_id": "B9", "subtype": "bot_message", "text": "beep",
         "ts": "1772800000.000200"},
        {"type": "message", "channel": SHARE, "subtype": "channel_join", "user": "UE", "text": "joined",
         "ts": "1772800000.000300"},
    ])
    async with bot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(SharePost)) == 0


async def test_a_post_keeps_the_week_it_was_posted_in_whenever_the_bot_learns_of_it(bot, channel, cohort):
    early = channel.post("UA", "week one", at(4, 9))
    channel.post("UB", "week two", at(11, 9))
    channel.events.reverse()
    await deliver(bot, channel.events)
    async with bot.db.session() as session:
        weeks = dict((await session.execute(select(SharePost.ts, SharePost.week))).all())
    assert weeks[early.ts] == 1 and sorted(weeks.values()) == [1, 2]
