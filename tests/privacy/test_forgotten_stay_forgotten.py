"""A forgotten member stays forgotten (issue 22): after `/study forget-me`, no catch-up (answers, share history,
the digest's re-read) and no late or redelivered event records what they wrote before — answers, share posts,
replies, reactions, group messages counted for the organizers' report; counts drop them (the prompt's live count
is updated in Slack); what they write afterwards is a new member's."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.models.groups import StudyGroup
from bot.models.privacy import ForgottenMember
from bot.models.questionnaire import Answer
from bot.models.retention import MemberGroupMessages
from bot.models.share import SharePost, ShareReaction, ShareReply
from bot.privacy.views import FORGET_CONFIRM_ACTION
from bot.questionnaire.counts import members_answered
from bot.questionnaire.views import answered_text
from tests.harness import text_of
from tests.questionnaire.conftest import ADA, CHANNEL, GRACE, WEEK1, Members, make_cohort, prompts_of
from tests.share.conftest import SHARE, Channel, deliver, digest_posts

AFTER = WEEK1 + timedelta(hours=1)


@pytest.fixture(autouse=True)
def cohort_channel(emulator):  # type: ignore[no-untyped-def]
    emulator.workspace.add_user(ADA, "ada")
    emulator.workspace.add_user(GRACE, "grace")
    emulator.workspace.add_channel(CHANNEL, "fastbook-2026", members={ADA, GRACE})


async def _forget(bot, user: str) -> None:  # type: ignore[no-untyped-def]
    await bot.slash("forget-me", user=user)
    await bot.reply()
    await bot.click(FORGET_CONFIRM_ACTION, "forget", user=user)
    assert "Done: studybot deleted" in (await bot.reply())["text"]


async def _rows(bot, model, user: str) -> list:  # type: ignore[no-untyped-def,type-arg]
    async with bot.db.session() as session:
        return list(await session.scalars(select(model).where(model.user_id == user)))


def _shown_counts(emulator, prompt_ts: str) -> list[str]:
    return [text_of(call.args) for call in emulator.calls_to("chat.update") if call.args.get("ts") == prompt_ts]


async def test_forgotten_answers_never_come_back_and_the_prompt_count_drops(bot, emulator):
    await make_cohort(bot, questions=1)
    await bot.tick(at=WEEK1)
    prompt = (await prompts_of(bot))[1]
    members = Members(bot, emulator)
    bot.clock.set(AFTER)
    old = await members.reply(ADA, prompt.ts, "my very personal first answer")
    await members.reply(GRACE, prompt.ts, "grace's answer")
    await bot.tick(at=AFTER + timedelta(minutes=1))  # the count's flush: two members answered
    assert answered_text(2) in _shown_counts(emulator, prompt.ts)[-1]

    bot.clock.set(AFTER + timedelta(minutes=2))
    await _forget(bot, ADA)
    emulator.calls.clear()
    await bot.tick(at=AFTER + timedelta(minutes=3))  # the flush shows the corrected count
    assert answered_text(1) in _shown_counts(emulator, prompt.ts)[-1]

    for minutes in (13, 23, 33):  # answers catch-ups: the thread's reply_count (2) differs from what is stored (1)
        await bot.tick(at=AFTER + timedelta(minutes=minutes))
    await members.send(old)  # a late redelivery of the old message's event
    await members.edit(old, "edited after forget-me")  # an edit of the old message
    assert await _rows(bot, Answer, ADA) == []
    async with bot.db.session() as session:
        assert await members_answered(session, prompt.cohort_id, 1, 1) == 1
    assert all(answered_text(2) not in shown for shown in _shown_counts(emulator, prompt.ts))

    bot.clock.set(AFTER + timedelta(minutes=40))  # written after forget-me: a new member's answer
    await members.reply(ADA, prompt.ts, "I'm back")
    assert [a.text for a in await _rows(bot, Answer, ADA)] == ["I'm back"]


async def test_forgotten_share_posts_replies_and_reactions_never_come_back(bot, emulator, clock):
    emulator.workspace.add_channel(SHARE, "share-your-work", members={ADA, GRACE})
    await make_cohort(bot, questions=1, share_channel_id=SHARE)
    share = Channel(emulator, clock)
    ada_post = share.post(ADA, "my notebook https://example.com/ada", AFTER)
    grace_post = share.post(GRACE, "grace's notebook", AFTER + timedelta(minutes=1))
    share.reply(grace_post, ADA, "ada replies to grace", AFTER + timedelta(minutes=2))
    share.reply(ada_post, GRACE, "grace replies to ada", AFTER + timedelta(minutes=3))
    share.react(grace_post, ADA, "tada", AFTER + timedelta(minutes=4))
    old_events = list(share.events)
    await deliver(bot, old_events)
    assert await _rows(bot, SharePost, ADA) and await _rows(bot, ShareReply, ADA)

    clock.set(AFTER + timedelta(minutes=10))
    await _forget(bot, ADA)
    await bot.tick(at=AFTER + timedelta(hours=1, minutes=1))  # the hourly share catch-up reads the history
    await bot.tick(at=AFTER + timedelta(days=6))  # the digest re-reads its whole window
    for model in (SharePost, ShareReply, ShareReaction):
        assert await _rows(bot, model, ADA) == [], f"{model.__tablename__} after the catch-ups"
    assert digest_posts(emulator) and "my notebook" not in " ".join(map(text_of, digest_posts(emulator)))
    for event in old_events:  # late deliveries of the old events (new event ids: not deduplicated)
        assert (await bot.event(event)).status == 200
        await bot.settle()

    for model in (SharePost, ShareReply, ShareReaction):
        assert await _rows(bot, model, ADA) == [], f"{model.__tablename__} after late events"
    async with bot.db.session() as session:
        posts = {post.ts: post for post in await session.scalars(select(SharePost))}
        forgotten = list(await session.scalars(select(ForgottenMember)))
    assert ada_post.ts not in posts or posts[ada_post.ts].user_id is None
    assert ADA not in posts[grace_post.ts].history_reply_users
    assert [len(row.member_hash) for row in forgotten] == [64] and ADA not in forgotten[0].member_hash

    new_post = share.post(ADA, "a new member's first post", AFTER + timedelta(days=6, hours=1))
    await deliver(bot, share.events[-1:])
    assert [post.ts for post in await _rows(bot, SharePost, ADA)] == [new_post.ts]


async def test_privacy_says_what_is_kept_to_keep_a_forgotten_member_forgotten(bot):
    await bot.slash("privacy")
    assert "fingerprint" in text_of(await bot.reply())


async def test_a_late_group_message_of_a_forgotten_member_is_not_counted_again(bot, emulator):
    group_channel = "G0GROUP0001"
    emulator.workspace.add_channel(group_channel, "fastbook-group-1", is_private=True, members={ADA, GRACE})
    cohort = await make_cohort(bot, questions=1)
    async with bot.db.session() as session:
        session.add(StudyGroup(team_id=bot.team_id, cohort_id=cohort.id, name="group 1", channel_id=group_channel,
                               center_offset=0, status="ready", created_at=bot.clock.now()))
    members = Members(bot, emulator, channel=group_channel)
    bot.clock.set(AFTER)
    old = await members.post(ADA, "see you thursday")
    assert [row.messages for row in await _rows(bot, MemberGroupMessages, ADA)] == [1]

    bot.clock.set(AFTER + timedelta(minutes=5))
    await _forget(bot, ADA)
    await members.send(old)  # a late redelivery
    assert await _rows(bot, MemberGroupMessages, ADA) == []

    bot.clock.set(AFTER + timedelta(minutes=10))
    await members.post(ADA, "hello again")
    assert [row.messages for row in await _rows(bot, MemberGroupMessages, ADA)] == [1]
