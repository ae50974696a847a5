"""Making a commitment: from `/study commit [day]`, the planning DM and the App Home; bad input changes nothing;
forget-me and my-data; what the report and the buddy check-in read (issue 24)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.commitments import views
from bot.commitments.store import commitment_lines, members_with_commitment
from bot.models.retention import MemberPreferences
from bot.privacy.export import member_data
from bot.privacy.forget import forget_member
from tests.commitments.helpers import (
    MEMBER,
    WEDNESDAY,
    cohort_with_member,
    commitments,
    labels,
    menu,
    pick,
    slash,
)
from tests.harness import text_of
from tests.home.helpers import open_home

THURSDAY_8PM = datetime(2026, 3, 5, 20, 0, tzinfo=UTC)
REMAINING = ["Wed 4 Mar", "Thu 5 Mar", "Fri 6 Mar", "Sat 7 Mar", "Sun 8 Mar", "Mon 9 Mar"]


async def test_a_typed_day_commits_and_a_new_day_before_the_deadline_replaces_it(bot):
    cohort = await cohort_with_member(bot)
    reply = await slash(bot, "commit thu")
    assert "Committed" in reply["text"] and "chapter 1" in reply["text"] and "Thu 5 Mar" in reply["text"], reply
    (row,) = await commitments(bot)
    assert (row.cohort_id, row.user_id, row.week, row.chapter) == (cohort.id, MEMBER, 1, 1)
    assert row.due_at == THURSDAY_8PM and row.outcome is None and not row.extended

    reply = await slash(bot, "commit Friday")
    assert "Changed" in reply["text"] and "Fri 6 Mar" in reply["text"], reply
    (row,) = await commitments(bot)
    assert row.due_at == THURSDAY_8PM + timedelta(days=1)


async def test_the_deadline_is_20_00_in_the_members_own_zone(bot):
    await cohort_with_member(bot, zone="Asia/Kolkata")
    await slash(bot, "commit thu")
    (row,) = await commitments(bot)
    assert row.due_at == datetime(2026, 3, 5, 14, 30, tzinfo=UTC)  # 20:00 in Kolkata (UTC+05:30)


async def test_the_command_without_a_day_offers_the_weeks_remaining_days(bot):
    await cohort_with_member(bot)
    reply = await slash(bot, "commit")
    offered = menu(reply["blocks"])
    assert labels(offered) == REMAINING  # Tue 10 Mar's 20:00 is after the week closes at 18:00
    assert "Commit to finishing chapter 1" in text_of(reply)
    await pick(bot, offered["options"][2]["value"], channel="C0STUDY001")
    assert "Fri 6 Mar" in (await bot.reply())["text"]
    (row,) = await commitments(bot)
    assert row.due_at == THURSDAY_8PM + timedelta(days=1)
    assert menu((await slash(bot, "commit"))["blocks"])["initial_option"]["text"]["text"] == "Fri 6 Mar"


async def test_the_planning_dm_carries_the_day_menu_and_a_pick_there_commits(bot, emulator):
    cohort = await cohort_with_member(bot)
    async with bot.db.session() as session:
        session.add(MemberPreferences(team_id=bot.team_id, cohort_id=cohort.id, user_id=MEMBER, plan="Wed 19:00",
                                      zone="Europe/London", nudges=True, session_reminder=False,
                                      updated_at=WEDNESDAY))
    await bot.tick(datetime(2026, 3, 4, 19, 0, tzinfo=UTC))
    (dm,) = emulator.posted(MEMBER)
    blocks = dm.args["blocks"]
    assert "reading time for week 1" in text_of(dm.args)
    assert labels(menu(blocks)) == REMAINING  # Wednesday 20:00 is still ahead at 19:00
    assert blocks[-1]["type"] == "context" and "/study remind" in text_of({"blocks": [blocks[-1]]})
    await pick(bot, menu(blocks)["options"][1]["value"], channel=dm.response["channel"])
    assert "Thu 5 Mar" in (await bot.reply())["text"]
    (row,) = await commitments(bot)
    assert row.due_at == THURSDAY_8PM


async def test_the_home_offers_the_menu_and_a_pick_there_commits_and_shows(bot, emulator):
    await cohort_with_member(bot)
    view = await open_home(bot)
    offered = menu(view["blocks"])
    assert labels(offered) == REMAINING and "initial_option" not in offered
    await pick(bot, offered["options"][1]["value"], view=view)  # no response_url on the Home: a DM confirms
    (told,) = emulator.posted(MEMBER)
    assert "Committed" in told.args["text"] and "Thu 5 Mar" in told.args["text"]
    (row,) = await commitments(bot)
    assert row.due_at == THURSDAY_8PM
    view = await open_home(bot)  # at once: the commitment is part of what the member changed
    assert menu(view["blocks"])["initial_option"]["text"]["text"] == "Thu 5 Mar"
    assert "You've committed to finishing *chapter 1" in text_of(view)


@pytest.mark.parametrize(("typed", "says"), [
    ("commit abc", "didn't understand"),
    ("commit tue", "isn't one of this week's remaining days"),
    ("commit 2026-03-03", "already passed"),
    ("commit 2026-03-12", "outside this week"),
    ("commit thu fri", "Usage"),
])
async def test_bad_days_get_one_friendly_line_and_change_nothing(bot, typed, says):
    await cohort_with_member(bot)
    reply = await slash(bot, typed)
    assert says in reply["text"] and "Nothing was changed" in reply["text"], reply
    assert reply.get("response_type", "ephemeral") == "ephemeral"
    assert await commitments(bot) == []


async def test_before_joining_or_between_weeks_nothing_is_committed(bot, emulator):
    await cohort_with_member(bot)
    emulator.workspace.add_user("U2", "newcomer")
    reply = await slash(bot, "commit thu", user="U2")
    assert "join" in reply["text"] and "Nothing was changed" in reply["text"], reply
    bot.clock.set(datetime(2026, 3, 2, 12, 0, tzinfo=UTC))  # before week 1 opens
    reply = await slash(bot, "commit thu")
    assert "No week is open" in reply["text"], reply
    assert await commitments(bot) == []


async def test_a_stale_or_forged_menu_value_changes_nothing(bot, emulator):
    cohort = await cohort_with_member(bot)
    await pick(bot, f"{cohort.id}:1:2026-03-03", channel="C0STUDY001")  # a day already gone
    assert "already passed" in (await bot.reply())["text"]
    await pick(bot, f"{cohort.id + 7}:1:2026-03-05", channel="C0STUDY001")
    assert (await bot.reply())["text"] == views.BUTTON_OUT_OF_DATE
    await pick(bot, "nonsense", channel="C0STUDY001")
    assert (await bot.reply())["text"] == views.BUTTON_OUT_OF_DATE
    assert await commitments(bot) == []


async def test_after_the_deadline_the_day_cannot_change(bot):
    await cohort_with_member(bot)
    await slash(bot, "commit wed")
    bot.clock.set(datetime(2026, 3, 4, 21, 0, tzinfo=UTC))
    reply = await slash(bot, "commit fri")
    assert "deadline has come" in reply["text"] and "Nothing was changed" in reply["text"], reply
    (row,) = await commitments(bot)
    assert row.due_at == datetime(2026, 3, 4, 20, 0, tzinfo=UTC)


async def test_my_data_includes_commitments_and_forget_me_removes_them(bot):
    cohort = await cohort_with_member(bot, MEMBER, "U2")
    await slash(bot, "commit thu")
    await slash(bot, "commit fri", user="U2")
    data = await member_data(bot.db, bot.team_id, MEMBER, bot.clock.now())
    (mine,) = data["tables"]["commitments"]
    assert (mine["user_id"], mine["week"], mine["chapter"]) == (MEMBER, 1, 1)
    forgotten = await forget_member(bot.db, bot.team_id, MEMBER, bot.clock.now())
    assert forgotten.deleted["commitments"] == 1
    assert [row.user_id for row in await commitments(bot)] == ["U2"]  # nobody else's
    async with bot.db.session() as session:
        assert await members_with_commitment(session, cohort.id) == {"U2"}


async def test_the_seams_the_report_and_the_buddy_check_in_read(bot):
    cohort = await cohort_with_member(bot, MEMBER, "U2", "U3", "U4")
    await slash(bot, "commit thu")
    await slash(bot, "commit sat", user="U2")
    await slash(bot, "commit mon", user="U4")
    async with bot.db.session() as session:
        assert await members_with_commitment(session, cohort.id) == {MEMBER, "U2", "U4"}
        lines = await commitment_lines(session, cohort.id, 1, [MEMBER, "U2", "U3"])
        assert lines == {MEMBER: "finish chapter 1 by Thu 5 Mar", "U2": "finish chapter 1 by Sat 7 Mar"}
        assert await commitment_lines(session, cohort.id, 2, [MEMBER]) == {}
        assert await commitment_lines(session, cohort.id, 1, []) == {}


async def test_help_lists_the_command(bot):
    await cohort_with_member(bot)
    assert "`/study commit [day]` — Commit to finishing this week's chapter" in text_of(await slash(bot, "help"))
