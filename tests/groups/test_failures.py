"""Slack saying no half-way: a refused `conversations.create`, channel-name clashes, rate-limited invitations.
Every run resumes what the last one left; no group ends without a channel, nobody is invited twice."""
from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from tests.groups.helpers import ORGANIZER, final_reply, groups, make_cohort, members, slash_reply, tick_groups
from tests.harness import text_of

CLUSTERS = ["Asia/Tokyo", "Asia/Kolkata", "Europe/Berlin", "America/New_York"]


async def four_clusters(bot, emulator) -> None:  # type: ignore[no-untyped-def]
    """Five members in each of four zones far apart: four groups."""
    emulator.workspace.add_user(ORGANIZER, tz="Europe/London")
    await make_cohort(bot, organizers=[ORGANIZER])
    for i in range(20):
        user = f"U{i:05d}"
        emulator.workspace.add_user(user, tz=CLUSTERS[i // 5])
        await slash_reply(bot, "join", user=user)


def invitations(emulator) -> Counter:  # type: ignore[no-untyped-def]
    return Counter((c.args["channel"], u) for c in emulator.calls_to("conversations.invite")
                   if c.response and c.response.get("ok") for u in str(c.args["users"]).split(","))


def assert_all_set_up(emulator, formed) -> None:  # type: ignore[no-untyped-def]
    assert all(g.status == "ready" and g.channel_id for g in formed)
    assert set(invitations(emulator).values()) == {1}
    for group in formed:
        assert len(emulator.posted(group.channel_id)) == 1


async def test_create_refused_half_way_then_the_next_run_resumes(bot, emulator):
    await four_clusters(bot, emulator)

    def refuse_the_third(call) -> None:  # type: ignore[no-untyped-def]
        if call.method == "conversations.create" and len(emulator.calls_to("conversations.create")) == 2:
            emulator.fail_next("conversations.create", error="restricted_action")

    emulator.on_call.append(refuse_the_third)
    stopped = await final_reply(bot, "admin groups form", user=ORGANIZER)  # the progress note became this
    assert "Slack refused to create #" in stopped and "restricted_action" in stopped and "run again" in stopped
    emulator.on_call.clear()
    half = await groups(bot)
    assert len(half) == 4 and sum(1 for g in half if g.channel_id) == 2
    assert all(m.group_id for m in (await members(bot)).values())  # the plan is kept

    again = await slash_reply(bot, "admin groups form", user=ORGANIZER)
    assert "already formed" in again  # quick enough to be the one reply, in the ack: the note was replaced
    formed = await groups(bot)
    assert [c.response["ok"] for c in emulator.calls_to("conversations.create")] == [True, True, False, True, True]
    assert_all_set_up(emulator, formed)
    for group in formed:
        channel = emulator.workspace.channels[group.channel_id]
        assert len(channel.members) == 5 + 2  # members, the organizer, the bot


async def test_the_sync_job_finishes_what_a_refused_scheduled_run_left(bot, emulator):
    await four_clusters(bot, emulator)
    # Each run's create fails (a create is not retried on a 5xx: Slack may have created the channel).
    emulator.fail_next("conversations.create", status=500, times=2)
    first = await tick_groups(bot, datetime(2026, 3, 6, 18, 0, tzinfo=UTC))
    assert [(r.job, r.outcome) for r in first] == [("groups-form", "failed"), ("groups-sync", "failed")]
    assert "Slack could not create #" in first[0].detail
    assert all(g.channel_id is None for g in await groups(bot))
    later = await tick_groups(bot, datetime(2026, 3, 6, 19, 0, tzinfo=UTC))
    assert [(r.job, r.outcome) for r in later] == [("groups-sync", "ran")]
    assert_all_set_up(emulator, await groups(bot))
    assert await tick_groups(bot, datetime(2026, 3, 6, 20, 0, tzinfo=UTC)) == []  # nothing left to do


async def test_a_taken_channel_name_gets_the_next_suffix(bot, emulator):
    await four_clusters(bot, emulator)
    emulator.workspace.add_channel("C0TAKEN001", "fastbook-utc-plus-9")  # someone's own channel
    await tick_groups(bot, datetime(2026, 3, 6, 18, 0, tzinfo=UTC))
    names = sorted(g.name for g in await groups(bot))
    assert names == ["fastbook-utc-minus-5", "fastbook-utc-plus-1", "fastbook-utc-plus-5-30", "fastbook-utc-plus-9-2"]
    assert_all_set_up(emulator, await groups(bot))


async def test_rate_limited_invitations_are_retried_after_retry_after(bot, emulator):
    await four_clusters(bot, emulator)
    emulator.fail_next("conversations.invite", status=429, retry_after=7)
    await tick_groups(bot, datetime(2026, 3, 6, 18, 0, tzinfo=UTC))
    assert 7.0 in bot.sleeps
    assert_all_set_up(emulator, await groups(bot))


async def test_invitations_rate_limited_for_too_long_stop_cleanly_and_resume(bot, emulator):
    await four_clusters(bot, emulator)

    def throttle_the_second_group(call) -> None:  # type: ignore[no-untyped-def]
        if call.method == "conversations.invite" and len(emulator.calls_to("conversations.invite")) == 1:
            emulator.fail_next("conversations.invite", status=429, retry_after=30, times=6)

    emulator.on_call.append(throttle_the_second_group)
    stopped = await final_reply(bot, "admin groups form", user=ORGANIZER)
    assert "Slack is rate-limiting invitations" in stopped and "everyone invited so far is recorded" in stopped
    emulator.on_call.clear()
    assert len(invitations(emulator)) == 6  # the first group: five members and the organizer
    await tick_groups(bot, datetime(2026, 3, 6, 18, 0, tzinfo=UTC) + timedelta(minutes=5))
    assert_all_set_up(emulator, await groups(bot))


async def test_bad_bounds_are_refused_and_nothing_is_formed(bot, emulator):
    await four_clusters(bot, emulator)
    for args, expected in [("--min 9 --max 4", "2 ≤ min ≤ max"), ("--min four", "Expected `--min N`"),
                           ("--size 4", "Expected `--min N`")]:
        text = await slash_reply(bot, f"admin groups form {args}", user=ORGANIZER)
        if "Forming" in text:
            text = text_of(await bot.reply())
        assert expected in text
    assert await groups(bot) == [] and emulator.calls_to("conversations.create") == []


async def test_a_run_holding_the_lease_keeps_others_out_and_late_joiners_are_invited_by_the_sync_job(bot, emulator):
    from sqlalchemy import update

    from bot.models.groups import GroupFormation

    await four_clusters(bot, emulator)
    formed_at = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)
    await tick_groups(bot, formed_at)
    async with bot.db.session() as session:  # as if another process were setting up channels right now
        await session.execute(update(GroupFormation).values(lease_until=formed_at + timedelta(minutes=30)))
    busy = await slash_reply(bot, "admin groups form", user=ORGANIZER)
    assert "Another run is setting up this cohort's group channels" in busy
    emulator.workspace.add_user("ULATE0001", tz="Asia/Tokyo")
    text = await slash_reply(bot, "join", user="ULATE0001")
    assert "the invitation to its channel follows in a few minutes" in text
    tokyo = next(g for g in await groups(bot) if g.name == "fastbook-utc-plus-9")
    assert "ULATE0001" not in emulator.workspace.channels[tokyo.channel_id].members
    await tick_groups(bot, formed_at + timedelta(minutes=45))  # the lease has expired; the sync job invites
    assert "ULATE0001" in emulator.workspace.channels[tokyo.channel_id].members
    assert set(invitations(emulator).values()) == {1}


async def test_a_channel_slack_created_before_the_answer_was_lost_is_adopted_not_orphaned(bot, emulator):
    """conversations.create went through but its answer never arrived (a 503 after the fact): the next run
    finds the bot's own channel by name instead of creating a second one under the next suffix."""
    await four_clusters(bot, emulator)
    emulator.accept_then_fail("conversations.create", status=503)
    await slash_reply(bot, "admin groups form", user=ORGANIZER)
    await bot.settle()
    await slash_reply(bot, "admin groups form", user=ORGANIZER)
    await bot.settle()
    formed = await groups(bot)
    created = [c for c in emulator.workspace.channels.values() if c.name.startswith("fastbook-utc")]
    assert sorted(c.id for c in created) == sorted(g.channel_id for g in formed)  # no orphan
    assert not any(g.name.endswith("-2") for g in formed)
    assert_all_set_up(emulator, formed)
