"""After formation: late joiners placed or waiting, a new group from the waiting list, leaving,
activity counted from message events, health, merge suggestions, and a merge."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.groups.group_activity import health, health_json
from bot.models import Cohort
from bot.models.groups import GroupActivity
from tests.groups.helpers import ORGANIZER, date_tokens, groups, make_cohort, members, slash_reply, tick_groups
from tests.harness import text_of

FORMED_AT = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)


async def formed_cohort(bot, emulator):  # type: ignore[no-untyped-def]
    """Four members in Kolkata and four in Dubai, 90 minutes apart: two groups of four."""
    emulator.workspace.add_user(ORGANIZER, tz="Europe/London")
    await make_cohort(bot, organizers=[ORGANIZER])
    for i in range(8):
        user, zone = f"U{i:05d}", ("Asia/Kolkata" if i < 4 else "Asia/Dubai")
        emulator.workspace.add_user(user, tz=zone)
        await slash_reply(bot, "join", user=user)
    await tick_groups(bot, FORMED_AT)
    india, dubai = sorted(await groups(bot), key=lambda g: -g.center_offset)
    assert india.name == "fastbook-utc-plus-5-30" and dubai.name == "fastbook-utc-plus-4"
    return india, dubai


async def test_a_late_joiner_goes_to_the_nearest_group_with_room(bot, emulator):
    india, _ = await formed_cohort(bot, emulator)
    emulator.workspace.add_user("ULATE0001", tz="Asia/Karachi")  # 30 min from Kolkata, 60 from Dubai
    text = await slash_reply(bot, "join", user="ULATE0001")
    assert f"You're in the group <#{india.channel_id}>" in text and "invited" in text
    assert "ULATE0001" in emulator.workspace.channels[india.channel_id].members
    welcome = emulator.posted(india.channel_id)[-1]
    assert "<@ULATE0001> joins the group (Asia/Karachi (UTC+05:00))" in text_of(welcome.args)
    assert (await members(bot))["ULATE0001"].group_id == india.id

    card = await slash_reply(bot, "group", user="ULATE0001")
    assert f"<#{india.channel_id}>, 5 members" in card and len(date_tokens(card)) >= 2

    bye = await slash_reply(bot, "leave", user="ULATE0001")
    assert "You've left #fastbook-utc-plus-5-30" in bye
    kick = emulator.calls_to("conversations.kick")[-1].args
    assert (kick["channel"], kick["user"]) == (india.channel_id, "ULATE0001")
    assert "ULATE0001" not in emulator.workspace.channels[india.channel_id].members
    assert (await members(bot))["ULATE0001"].group_id is None


async def test_far_away_late_joiners_wait_until_enough_are_close_then_get_their_own_group(bot, emulator):
    await formed_cohort(bot, emulator)
    creates = len(emulator.calls_to("conversations.create"))
    pacific = ["Pacific/Honolulu", "America/Anchorage", "Pacific/Tahiti", "Pacific/Honolulu"]
    for i, zone in enumerate(pacific):
        emulator.workspace.add_user(f"UPAC{i:05d}", tz=zone)
        text = await slash_reply(bot, "join", user=f"UPAC{i:05d}")
        if i < 3:
            assert "you're on the waiting list" in text
            assert "waiting list" in await slash_reply(bot, "group", user=f"UPAC{i:05d}")
    assert len(emulator.calls_to("conversations.create")) == creates + 1
    newest = (await groups(bot))[-1]
    assert f"You're in the group <#{newest.channel_id}>" in text
    assert newest.name == "fastbook-utc-minus-9-30" and newest.status == "ready"
    channel = emulator.workspace.channels[newest.channel_id]
    assert {f"UPAC{i:05d}" for i in range(4)} | {ORGANIZER} <= channel.members
    assert len(emulator.posted(newest.channel_id)) == 1  # the intro


async def test_leaving_the_waiting_list(bot, emulator):
    await formed_cohort(bot, emulator)
    emulator.workspace.add_user("UPAC00001", tz="Pacific/Honolulu")
    await slash_reply(bot, "join", user="UPAC00001")
    assert "taken you off the waiting list" in await slash_reply(bot, "leave", user="UPAC00001")
    assert emulator.calls_to("conversations.kick") == []


async def test_activity_is_counted_from_message_events_and_quiet_groups_get_a_merge_suggestion(bot, emulator):
    india, dubai = await formed_cohort(bot, emulator)
    for minutes in (0, 5):
        at = FORMED_AT + timedelta(days=1, minutes=minutes)
        bot.clock.set(at)
        await bot.event({"type": "message", "channel": dubai.channel_id, "user": "U00004", "text": "hi",
                         "ts": f"{int(at.timestamp())}.000100", "channel_type": "group"})
    await bot.event({"type": "message", "channel": dubai.channel_id, "bot_id": "B1", "subtype": "bot_message",
                     "text": "bot", "ts": f"{int(FORMED_AT.timestamp()) + 999}.000100"})
    await bot.settle()
    async with bot.db.session() as session:
        counts = [(a.group_id, a.messages) for a in await session.scalars(select(GroupActivity))]
    assert counts == [(dubai.id, 2)]

    later = FORMED_AT + timedelta(days=15)  # India: no message in two weeks; Dubai: one 14 days 5 minutes ago
    async with bot.db.session() as session:
        report = health_json(await health(session, await session.get(Cohort, 1), later, weeks=4))
    by_name = {g["name"]: g for g in report["groups"]}
    assert [w["messages"] for w in by_name[dubai.name]["messages_per_week"]] == [0, 2, 0, 0]
    assert by_name[india.name]["quiet"] and not by_name[dubai.name]["quiet"]

    friday = datetime(2026, 3, 20, 10, 0, tzinfo=UTC)
    bot.clock.set(friday)
    await bot.event({"type": "message", "channel": dubai.channel_id, "user": "U00005", "text": "still here",
                     "ts": f"{int(friday.timestamp())}.000100", "thread_ts": "1.0", "channel_type": "group"})
    await bot.settle()
    monday = datetime(2026, 3, 23, 9, 0, tzinfo=UTC)
    results = await tick_groups(bot, monday)
    assert [r.detail for r in results if r.job == "groups-merge-suggestions"] == ["suggested 1 merge to 1 recipient"]
    suggestion = text_of(emulator.posted(ORGANIZER)[-1].args)
    assert f"/study admin groups merge {india.name} {dubai.name}" in suggestion
    assert await tick_groups(bot, monday + timedelta(hours=1)) == []  # once a week


async def test_an_organizer_merges_two_groups(bot, emulator):
    india, dubai = await formed_cohort(bot, emulator)
    text = await slash_reply(bot, f"admin groups merge {india.name} #{dubai.name}", user=ORGANIZER)
    assert f"Merged #{india.name} into <#{dubai.channel_id}>: 4 members invited" in text
    assert "The group now has 8 members" in text and "more than the cohort's maximum" not in text
    keeper = emulator.workspace.channels[dubai.channel_id]
    assert {f"U{i:05d}" for i in range(8)} <= keeper.members
    assert "has merged into this group" in text_of(emulator.posted(dubai.channel_id)[-1].args)
    old = emulator.workspace.channels[india.channel_id]
    assert old.is_archived and f"<#{dubai.channel_id}>" in text_of(emulator.posted(india.channel_id)[-1].args)
    statuses = {g.name: (g.status, g.merged_into_id) for g in await groups(bot)}
    assert statuses[india.name] == ("archived", dubai.id)
    assert all(m.group_id == dubai.id for m in (await members(bot)).values())

    again = await slash_reply(bot, f"admin groups merge {india.name} {dubai.name}", user=ORGANIZER)
    assert "0 members invited" in again  # re-running resumes, changes nothing
    assert len(emulator.calls_to("conversations.archive")) == 1
    unknown = await slash_reply(bot, "admin groups merge nope fastbook-utc-plus-4", user=ORGANIZER)
    assert 'No group "nope"' in unknown
