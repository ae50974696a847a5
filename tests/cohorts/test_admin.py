"""`/study admin …` through signed slash commands: organizers steer the rhythm, others are politely refused."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.calendar.timeparse import WEEKLY_TIME_EXPECTED
from bot.models import Cohort
from bot.organizers import REFUSAL
from tests.harness import text_of
from tests.rhythm.support import cohort_in_channel, rhythm_posts

CHANNEL = "CLONDON001"
WEEK_1 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)  # Tuesdays 18:00 Europe/London (GMT until 29 March)


async def london(bot, emulator, **fields):  # type: ignore[no-untyped-def]
    values = {"timezone": "Europe/London", "start": "2026-03-03 18:00", "session_time": "thu 18:00",
              "organizers": ["UORGANIZE1"], **fields}
    return await cohort_in_channel(bot, emulator, "london", CHANNEL, **values)


async def admin(bot, text: str, user: str = "UORGANIZE1") -> dict:  # type: ignore[no-untyped-def]
    await bot.slash(f"admin {text}", user=user, channel=CHANNEL)
    reply = await bot.reply()
    assert reply["response_type"] == "ephemeral"
    return reply


def said(reply: dict) -> str:
    return reply["text"]


async def stored(bot, cohort_id: int) -> Cohort:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return await session.get(Cohort, cohort_id)


def announced_weeks(emulator) -> list[str]:  # type: ignore[no-untyped-def]
    return [post.key.split(":", 2)[2] for post in rhythm_posts(emulator, CHANNEL, prefix="announce:")]


async def test_a_member_who_is_not_an_organizer_is_refused_and_nothing_changes(bot, emulator, clock):
    cohort = await london(bot, emulator)
    for text in ("pause 3", "session tue 9:00", "skip 2", "rerun 1", "status"):
        assert said(await admin(bot, text, user="U1")) == REFUSAL
    after = await stored(bot, cohort.id)
    assert (after.breaks, after.session) == ([], "Thu 18:00")
    assert rhythm_posts(emulator) == []


async def test_a_workspace_admin_may_act_without_being_listed(bot, emulator, clock):
    await london(bot, emulator)
    clock.set(WEEK_1 + timedelta(days=1))
    reply = text_of(await admin(bot, "status", user="UADMIN"))
    assert "*Now*: week 1 (Chapter 1 — Your Deep Learning Journey), announcement not posted yet" in reply
    assert "Live session: Thu 18:00 (Europe/London)" in reply and "<@UORGANIZE1>" in reply


async def test_pause_shifts_the_week_and_every_later_one(bot, emulator, clock):
    cohort = await london(bot, emulator)
    await bot.tick(at=WEEK_1 + timedelta(days=8))  # week 2 is open
    reply = said(await admin(bot, "pause 3"))
    assert reply.startswith("Paused for one week: week 3 (and every later week) now opens <!date^")
    assert (await stored(bot, cohort.id)).breaks == [3]
    await bot.tick(at=WEEK_1 + timedelta(weeks=2))  # where week 3 would have opened: the break week
    assert announced_weeks(emulator) == ["week-2"]
    await bot.tick(at=WEEK_1 + timedelta(weeks=3))
    await bot.tick(at=WEEK_1 + timedelta(weeks=4))
    assert announced_weeks(emulator) == ["week-2", "week-3", "week-4"]


async def test_pause_refuses_what_cannot_be_paused(bot, emulator, clock):
    cohort = await london(bot, emulator, weeks=10)
    clock.set(WEEK_1 + timedelta(days=8))
    assert said(await admin(bot, "pause soon")) == "Expected a week number from 1 to 10, e.g. `5`. Nothing was changed."
    assert said(await admin(bot, "pause 11")).startswith("Expected a week number from 1 to 10")
    assert "Week 1 cannot be paused" in said(await admin(bot, "pause 1"))
    assert "Week 2 has already opened" in said(await admin(bot, "pause 2"))
    await admin(bot, "pause 4")
    assert "already a break before week 4" in said(await admin(bot, "pause 4"))
    assert said(await admin(bot, "unpause 4")).startswith("Break removed: week 4 opens <!date^")
    assert "no break before week 4" in said(await admin(bot, "unpause 4"))
    assert (await stored(bot, cohort.id)).breaks == []


async def test_skip_then_rerun_a_weeks_announcement(bot, emulator, clock):
    await london(bot, emulator)
    clock.set(WEEK_1 + timedelta(days=6))
    assert "Week 2's announcement will not be posted" in said(await admin(bot, "skip 2"))
    assert "already skipped" in said(await admin(bot, "skip 2"))
    await bot.tick(at=WEEK_1 + timedelta(weeks=1))
    assert announced_weeks(emulator) == []
    assert "has not opened yet" in said(await admin(bot, "rerun 3"))
    assert said(await admin(bot, "rerun 2")) == f"Re-posted week 2's announcement in <#{CHANNEL}>."
    await admin(bot, "rerun 2")
    assert announced_weeks(emulator) == ["week-2:rerun-1", "week-2:rerun-2"]
    assert "Week 3's announcement will not be posted" in said(await admin(bot, "skip 3"))
    await bot.tick(at=WEEK_1 + timedelta(weeks=2))
    assert announced_weeks(emulator) == ["week-2:rerun-1", "week-2:rerun-2"]  # week 3 was skipped too


async def test_skip_after_the_announcement_went_out_changes_nothing(bot, emulator, clock):
    await london(bot, emulator)
    await bot.tick(at=WEEK_1)
    assert said(await admin(bot, "skip 1")) == "Week 1's announcement was already posted. Nothing was changed."


async def test_session_can_be_moved_or_removed_and_bad_times_are_explained(bot, emulator, clock):
    cohort = await london(bot, emulator)
    assert said(await admin(bot, "session tuesday 7:30pm")).startswith("Live session set to Tue 19:30 (Europe/London)")
    assert (await stored(bot, cohort.id)).session == "Tue 19:30"
    assert said(await admin(bot, "session at noon")) == f"{WEEKLY_TIME_EXPECTED} Nothing was changed."
    assert (await stored(bot, cohort.id)).session == "Tue 19:30"
    assert said(await admin(bot, "session off")).startswith("No live session any more")
    assert (await stored(bot, cohort.id)).session is None


async def test_unknown_actions_and_help_show_the_usage(bot, emulator, clock):
    await london(bot, emulator)
    assert said(await admin(bot, "launch 3")).startswith("I don't know `admin launch`. Try: `/study admin status`")
    assert said(await admin(bot, "help")).startswith("`/study admin status`")


async def test_with_several_cohorts_outside_their_channels_the_bot_asks_where(bot, emulator, clock):
    await london(bot, emulator)
    await cohort_in_channel(bot, emulator, "paris", "CPARIS0001", timezone="Europe/Paris", start="2026-03-03 18:00")
    await bot.slash("admin status", user="UADMIN", channel="CELSEWHERE")
    assert "run `/study admin` in your cohort's channel so I know which one you mean" in text_of(await bot.reply())
