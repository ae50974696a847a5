"""Study buddies through Slack: `/study buddy [off]`, the rolling match (same group at the next tick, across groups
after 48 hours by nearest time zone, a trio only for someone who'd stay alone), the one group DM and its
introduction, the weekly check-in, the private offers — as they reach the emulator and the database."""
from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.buddies import views
from bot.models.buddies import BuddyCheckIn, BuddyOptIn, BuddyPair
from bot.models.groups import GroupMember
from tests.buddies.helpers import (
    button_values,
    command,
    keyed,
    mpims,
    optin,
    pairs,
    seed,
    tick_buddies,
)
from tests.harness import StudyBot, text_of

WEEK1 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)  # the harness cohort's week 1 opens (Europe/London)
CHECK_IN_1 = WEEK1 + timedelta(days=4)  # four sevenths into the week
WEEK = timedelta(days=7)
SHAMING = re.compile(r"<@|didn't|did not|missed|failed|fault of|quiet one|inactive|lazy", re.I)


async def test_before_joining_or_with_bad_input_one_friendly_line_and_nothing_changes(bot, emulator):
    await bot.create_cohort()
    emulator.workspace.add_user("U2")
    reply = await command(bot, "buddy", "U2")
    assert "join one first with `/study join`" in reply and "Nothing was changed" in reply
    cohort = await bot.create_cohort("other", channel_id="C0STUDY002")
    await seed(bot, cohort.id, [("U1", "Europe/London", "a")])
    emulator.workspace.add_channel("C0STUDY002", "other", members={"U1"})
    assert "Usage: `/study buddy`" in await command(bot, "buddy maybe", "U1")
    assert "aren't waiting for one; nothing was changed" in await command(bot, "buddy off", "U1")
    await bot.click(views.OPT_IN_ACTION, "not-a-cohort", user="U1")
    await bot.settle()
    assert views.BUTTON_OUT_OF_DATE in emulator.responses[-1]["text"]
    async with bot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(BuddyOptIn)) == 0


async def test_same_group_partner_is_matched_at_the_next_tick_and_introduced_once_in_one_group_dm(bot, emulator):
    cohort = await bot.create_cohort()
    await seed(bot, cohort.id, [("U1", "Europe/London", "a"), ("U2", "Asia/Kolkata", "a"),
                                ("U3", "America/New_York", "b")])
    for user in ("U1", "U3"):
        assert "You're in!" in await command(bot, "buddy", user)
    await tick_buddies(bot)
    assert await pairs(bot) == []  # different groups, and nobody waited 48 hours yet
    assert "You're in!" in await command(bot, "buddy", "U2")
    await tick_buddies(bot, bot.clock.now() + timedelta(minutes=1))
    assert await pairs(bot) == [frozenset({"U1", "U2"})]
    assert "already have a study buddy: <@U1>" in await command(bot, "buddy", "U2")

    [dm] = mpims(emulator)
    assert dm.members == {"U1", "U2", "UBOT00001"}
    [intro] = keyed(emulator, "buddies:intro:")
    assert intro["channel"] == dm.id
    text = text_of(intro)
    assert "Meet your study buddy! <@U1> and <@U2>" in text
    assert "<@U1>: it's 12:01 for you (Europe/London)" in text
    assert "<@U2>: it's 17:31 for you (Asia/Kolkata)" in text
    assert re.search(r"A weekly time that suits you two: \w+days at \d\d:\d\d for <@U1> · \w+days at", text)
    for minutes in (2, 3):
        await tick_buddies(bot, bot.clock.now() + timedelta(minutes=minutes))
    assert len(keyed(emulator, "buddies:intro:")) == 1 and len(mpims(emulator)) == 1
    assert (await optin(bot, "U3")).pair_id is None  # still waiting for someone from group b


async def test_across_groups_after_48_hours_the_nearest_time_zone_is_chosen(bot, emulator):
    cohort = await bot.create_cohort()
    await seed(bot, cohort.id, [("UW", "America/Chicago", "w"), ("UX", "Europe/Berlin", "x"),
                                ("UY", "America/New_York", "y"), ("UZ", "Europe/Paris", "z")])
    start = bot.clock.now()
    for user in ("UW", "UX", "UY", "UZ"):
        await bot.slash("buddy", user=user)
    await bot.settle()
    await tick_buddies(bot, start + timedelta(hours=47, minutes=59))
    assert await pairs(bot) == []
    await tick_buddies(bot, start + timedelta(hours=48))
    assert await pairs(bot) == [frozenset({"UW", "UY"}), frozenset({"UX", "UZ"})]  # an hour apart, not 7
    assert len(keyed(emulator, "buddies:intro:")) == 2


async def test_an_odd_one_out_joins_a_pair_as_a_trio_only_after_48_hours(bot, emulator):
    cohort = await bot.create_cohort()
    await seed(bot, cohort.id, [("U1", "Europe/London", "a"), ("U2", "Europe/London", "a"),
                                ("U3", "Europe/Madrid", "a"), ("U4", "Asia/Tokyo", "b"), ("U5", "Asia/Tokyo", "b")])
    start = bot.clock.now()
    for user in ("U1", "U2", "U3", "U4", "U5"):
        await bot.slash("buddy", user=user)
    await bot.settle()
    await tick_buddies(bot)
    assert await pairs(bot) == [frozenset({"U1", "U2"}), frozenset({"U4", "U5"})]
    await tick_buddies(bot, start + timedelta(hours=47))
    assert (await optin(bot, "U3")).pair_id is None  # waiting: someone from group a may still come
    await tick_buddies(bot, start + timedelta(hours=48))
    assert await pairs(bot) == [frozenset({"U1", "U2", "U3"}), frozenset({"U4", "U5"})]  # its own group's pair
    trio = [c for c in mpims(emulator) if len(c.members) == 4]
    assert len(trio) == 1
    intros = keyed(emulator, "buddies:intro:")
    assert len(intros) == 3 and intros[-1]["channel"] == trio[0].id
    assert "Meet your study buddies! <@U1>, <@U2> and <@U3>" in text_of(intros[-1])
    assert "suits you three" in text_of(intros[-1])


async def test_no_one_is_matched_with_someone_who_left_and_forget_me_ends_the_pairing_kindly(bot, emulator):
    cohort = await bot.create_cohort()
    await seed(bot, cohort.id, [("U1", "Europe/London", "a"), ("U2", "Europe/London", "a"),
                                ("U3", "Europe/London", "a")])
    await bot.slash("buddy", user="U2")
    await bot.settle()
    await command(bot, "leave", "U2")  # the real `/study leave`
    async with bot.db.session() as session:
        assert await session.scalar(select(GroupMember.left_at).where(GroupMember.user_id == "U2")) is not None
    await bot.slash("buddy", user="U1")
    await bot.settle()
    await tick_buddies(bot)
    assert await pairs(bot) == [] and (await optin(bot, "U2")).active is False
    await bot.slash("buddy", user="U3")
    await bot.settle()
    await tick_buddies(bot, bot.clock.now() + timedelta(minutes=1))
    assert await pairs(bot) == [frozenset({"U1", "U3"})]

    from bot.privacy.export import member_data
    from bot.privacy.forget import forget_member
    data = await member_data(bot.db, bot.team_id, "U3", bot.clock.now())
    assert {"buddy_optins", "buddy_pair_members"} <= set(data["tables"])
    forgotten = await forget_member(bot.db, bot.team_id, "U3", bot.clock.now())
    assert forgotten.deleted["buddy_optins"] == 1 and forgotten.deleted["buddy_pair_members"] == 1
    await tick_buddies(bot, bot.clock.now() + timedelta(minutes=2))
    assert await pairs(bot) == []
    [note] = keyed(emulator, "buddies:ended:")
    assert text_of(note).startswith("This buddy pairing has ended") and "<@" not in text_of(note)
    [offer] = keyed(emulator, "buddies:offer:")
    assert offer["channel"] == "U1" and not SHAMING.search(text_of(offer))
    assert set(button_values(offer)) == {views.NEW_BUDDY_ACTION, views.NO_THANKS_ACTION}
    data = await member_data(bot.db, bot.team_id, "U3", bot.clock.now())
    assert not {"buddy_optins", "buddy_pair_members"} & set(data["tables"])


async def _paired(bot: StudyBot, emulator) -> BuddyPair:  # type: ignore[no-untyped-def]
    cohort = await bot.create_cohort()
    await seed(bot, cohort.id, [("U1", "Europe/London", "a"), ("U2", "America/New_York", "a")])
    for user in ("U1", "U2"):
        assert "You're in!" in await command(bot, "buddy", user)
    await tick_buddies(bot)
    async with bot.db.session() as session:
        return (await session.scalars(select(BuddyPair))).one()


async def test_one_check_in_per_pair_and_week_across_ticks_and_a_restart(bot, emulator, database_url, clock):
    pair = await _paired(bot, emulator)
    await tick_buddies(bot, CHECK_IN_1 - timedelta(minutes=1))
    assert keyed(emulator, "buddies:checkin:") == []
    await tick_buddies(bot, CHECK_IN_1)
    await tick_buddies(bot, CHECK_IN_1 + timedelta(minutes=5))
    restarted = await StudyBot.start(emulator, database_url, clock)
    try:
        await tick_buddies(restarted, CHECK_IN_1 + timedelta(hours=1))
    finally:
        await restarted.stop()
    [check_in] = keyed(emulator, "buddies:checkin:")
    assert check_in["channel"] == pair.channel
    assert text_of(check_in).startswith("📚 Did you two read chapter 1")
    labels = [e["text"]["text"] for b in check_in["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert labels == ["Both of us", "One of us", "Not this week"]
    await bot.click(views.CHECKIN_ACTIONS["both"], f"{pair.id}:1", user="U2", channel=pair.channel)
    await bot.settle()
    assert "well done" in emulator.responses[-1]["text"]
    emulator.workspace.add_user("U9")
    await bot.click(views.CHECKIN_ACTIONS["none"], f"{pair.id}:1", user="U9", channel=pair.channel)
    await bot.settle()
    assert "another buddy pair" in emulator.responses[-1]["text"]
    async with bot.db.session() as session:
        row = await session.scalar(select(BuddyCheckIn))
    assert (row.answer, row.answered_by_user_id) == ("both", "U2")
    await tick_buddies(bot, CHECK_IN_1 + WEEK)
    assert len(keyed(emulator, "buddies:checkin:")) == 2


async def test_two_quiet_weeks_offer_each_a_new_match_privately_naming_no_one(bot, emulator):
    pair = await _paired(bot, emulator)
    for week in (1, 2, 3):
        await tick_buddies(bot, CHECK_IN_1 + (week - 1) * WEEK)
        if week == 1:
            await bot.click(views.CHECKIN_ACTIONS["both"], f"{pair.id}:1", user="U1", channel=pair.channel)
        if week == 2:
            await bot.click(views.CHECKIN_ACTIONS["none"], f"{pair.id}:2", user="U1", channel=pair.channel)
        await bot.settle()
        await tick_buddies(bot, WEEK1 + week * WEEK)  # the week closes
        await tick_buddies(bot, WEEK1 + week * WEEK + timedelta(hours=1))
    offers = keyed(emulator, "buddies:quiet:")
    assert sorted(o["channel"] for o in offers) == ["U1", "U2"]  # once each, after week 3 (weeks 2 and 3 quiet)
    for offer in offers:
        assert not SHAMING.search(text_of(offer)), text_of(offer)
        assert "quiet for a couple of weeks" in text_of(offer)
        assert set(button_values(offer)) == {views.NEW_BUDDY_ACTION, views.KEEP_BUDDY_ACTION}
    await bot.click(views.KEEP_BUDDY_ACTION, str(pair.id), user="U2", channel="DU2")
    await bot.settle()
    assert "carries on" in emulator.responses[-1]["text"] and await pairs(bot) == [frozenset({"U1", "U2"})]
    await bot.click(views.NEW_BUDDY_ACTION, button_values(offers[0])[views.NEW_BUDDY_ACTION], user="U1",
                    channel="DU1")
    await bot.settle()
    assert "find you a new study buddy" in emulator.responses[-1]["text"]
    assert await pairs(bot) == [] and (await optin(bot, "U1")).active is True
    assert [m["text"] for m in keyed(emulator, "buddies:ended:")] == [
        "This buddy pairing has ended. Thank you for reading together!"]
    [offer] = keyed(emulator, "buddies:offer:")
    assert offer["channel"] == "U2"
    await tick_buddies(bot, bot.clock.now() + timedelta(minutes=1))
    assert await pairs(bot) == []  # never the same two again


async def test_buddy_off_ends_it_kindly_and_the_partner_is_offered_a_new_match(bot, emulator):
    pair = await _paired(bot, emulator)
    reply = await command(bot, "buddy off", "U1")
    assert "your buddy pairing has ended" in reply
    [note] = keyed(emulator, "buddies:ended:")
    assert note["channel"] == pair.channel and "<@" not in text_of(note)
    [offer] = keyed(emulator, "buddies:offer:")
    assert offer["channel"] == "U2" and not SHAMING.search(text_of(offer))
    assert (await optin(bot, "U1")).active is False and (await optin(bot, "U2")).active is False
    await tick_buddies(bot, bot.clock.now() + timedelta(minutes=1))
    assert len(keyed(emulator, "buddies:ended:")) == 1 and len(keyed(emulator, "buddies:offer:")) == 1
    await bot.click(views.NEW_BUDDY_ACTION, button_values(offer)[views.NEW_BUDDY_ACTION], user="U2", channel="DU2")
    await bot.settle()
    assert "You're in!" in emulator.responses[-1]["text"] and (await optin(bot, "U2")).active is True
    await bot.click(views.NO_THANKS_ACTION, str(pair.cohort_id), user="U1", channel="DU1")
    await bot.settle()
    assert "whenever you like" in emulator.responses[-1]["text"]


async def test_the_home_and_the_planning_dm_offer_a_buddy_to_members_without_one(bot, emulator):
    from tests.home.helpers import buttons, open_home

    cohort = await bot.create_cohort()
    await seed(bot, cohort.id, [("U1", "Europe/London", "a")])
    view = await open_home(bot, "U1")
    [offer] = [b for b in buttons(view) if b["action_id"] == views.OPT_IN_ACTION]
    await bot.click(views.OPT_IN_ACTION, offer["value"], user="U1", channel=None)
    await bot.settle()
    assert "You're in!" in emulator.posted("U1")[-1].args["text"]
    bot.clock.set(bot.clock.now() + timedelta(minutes=1))
    view = await open_home(bot, "U1")
    assert not [b for b in buttons(view) if b["action_id"] == views.OPT_IN_ACTION]
    assert "you're on the list" in str(view)

    from schedules.retention import READING_REMINDERS  # the job sending the reading reminder composes the DM
    await seed(bot, cohort.id, [("U2", "Europe/London", "a")])
    for user in ("U1", "U2"):
        await READING_REMINDERS.send(bot.db, bot.runtime.client_for(bot.team_id), cohort.id, user, 1, bot.clock.now())
    reminders = keyed(emulator, "retention:plan:")
    assert [views.OPT_IN_ACTION in button_values(m) for m in reminders] == [False, True]
