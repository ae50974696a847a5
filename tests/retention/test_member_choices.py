"""A member's own choices through Slack: `/study remind|pause|nudges`, the nudge's buttons, "I'll decide each
week" with the announcement's button, the session reminder — and the time maths behind the reminders."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.calendar.timeparse import parse_weekly_time
from bot.cohorts.weeks import Week
from bot.models.retention import MemberPreferences
from bot.retention import views
from bot.retention.planning import weekly_moment
from tests.harness import text_of

WEEK1 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)  # the harness cohort: Europe/London, Tue 3 Mar 18:00


async def prefs_of(bot, user: str = "U1") -> MemberPreferences | None:
    async with bot.db.session() as session:
        return await session.scalar(select(MemberPreferences).where(MemberPreferences.user_id == user))


async def command(bot, text: str, user: str = "U1") -> str:
    await bot.slash(text, user=user)
    await bot.settle()
    return (await bot.reply())["text"]


async def test_pause_nudges_and_remind_off_reply_and_change_only_what_they_say(bot):
    await bot.create_cohort()
    assert "Usage: `/study pause [weeks]`" in await command(bot, "pause forever")
    assert await prefs_of(bot) is None  # bad input changed nothing
    assert "Paused until" in await command(bot, "pause")
    assert (await prefs_of(bot)).paused_until == bot.clock.now() + timedelta(weeks=2)
    assert "You're not paused" in await command(bot, "pause 0")
    assert "Usage: `/study nudges off`" in await command(bot, "nudges maybe")
    assert "Nudges are off" in await command(bot, "nudges off")
    assert (await prefs_of(bot)).nudges is False
    assert "Nudges are on" in await command(bot, "nudges on")
    assert "Planning reminders are off" in await command(bot, "remind off")


async def test_without_a_cohort_the_member_is_told_so(bot):
    assert "no study cohort here yet" in await command(bot, "pause")


async def test_nudge_buttons_pause_stop_and_resume(bot, emulator):
    cohort = await bot.create_cohort()
    await bot.click(views.NUDGE_PAUSE_ACTION, str(cohort.id), channel="DU1")
    await bot.settle()
    assert (await prefs_of(bot)).paused_until == bot.clock.now() + timedelta(weeks=2)
    await bot.click(views.NUDGE_STOP_ACTION, str(cohort.id), channel="DU1")
    await bot.settle()
    assert (await prefs_of(bot)).nudges is False
    await bot.click(views.NUDGES_RESUME_ACTION, str(cohort.id), channel=None)  # from the Home: a DM answers
    await bot.settle()
    prefs = await prefs_of(bot)
    assert prefs.nudges is True and prefs.paused_until is None
    assert "Nudges are on" in emulator.posted("U1")[-1].args["text"]
    replies = [r["text"] for r in emulator.responses]
    assert any("Paused until" in r for r in replies) and any("no more of these messages" in r for r in replies)


async def test_each_week_mode_takes_a_time_from_the_announcement_for_that_week_only(bot, emulator):
    cohort = await bot.create_cohort(session_time="Thu 18:00")
    await bot.slash("remind")
    await bot.settle()
    modal = emulator.calls_to("views.open")[-1].args["view"]
    await bot.submit(modal, {
        views.PLAN_BLOCK: {views.PLAN_CHOICE_ACTION: {"selected_option": {"value": views.EACH_WEEK}}},
        views.PLAN_SESSION_BLOCK: {views.PLAN_SESSION_ACTION: {"selected_options": [{"value": "on"}]}}})
    await bot.settle()
    assert "you'll decide each week" in emulator.posted("U1")[-1].args["text"]

    await bot.tick(WEEK1)  # week 1 opens: the announcement carries the planning button
    announcement = [c.args for c in emulator.posted("C0STUDY001")][-1]
    button = next(e for b in announcement["blocks"] if b["type"] == "actions" for e in b["elements"]
                  if e["action_id"] == views.PLAN_OPEN_ACTION)
    assert button["value"] == f"{cohort.id}:1"
    await bot.click(views.PLAN_OPEN_ACTION, button["value"])
    await bot.settle()
    modal = emulator.calls_to("views.open")[-1].args["view"]
    await bot.submit(modal, {views.PLAN_BLOCK: {views.PLAN_CHOICE_ACTION: {"selected_option": {"value": "Sat 10:00"}}}})
    await bot.settle()
    assert "Saturdays at 10:00 this week" in emulator.posted("U1")[-1].args["text"]

    saturday = datetime(2026, 3, 7, 10, 0, tzinfo=UTC)
    await bot.tick(saturday - timedelta(minutes=1))
    assert not _dms(emulator, "retention:plan:")
    await bot.tick(saturday)
    assert len(_dms(emulator, "retention:plan:")) == 1
    await bot.tick(saturday + timedelta(days=7))  # week 2: "each week" and nothing picked → no reminder
    assert len(_dms(emulator, "retention:plan:")) == 1


async def test_the_session_reminder_comes_an_hour_before_unless_unticked(bot, emulator):
    await bot.create_cohort(session_time="Thu 18:00")
    await bot.slash("remind")
    await bot.settle()
    modal = emulator.calls_to("views.open")[-1].args["view"]
    await bot.submit(modal, {
        views.PLAN_BLOCK: {views.PLAN_CHOICE_ACTION: {"selected_option": {"value": views.NO_PLAN}}},
        views.PLAN_SESSION_BLOCK: {views.PLAN_SESSION_ACTION: {"selected_options": [{"value": "on"}]}}})
    await bot.settle()
    session = datetime(2026, 3, 5, 18, 0, tzinfo=UTC)
    await bot.tick(session - timedelta(hours=1, minutes=1))
    assert not _dms(emulator, "retention:session:")
    await bot.tick(session - timedelta(hours=1))
    await bot.tick(session - timedelta(minutes=30))
    sent = _dms(emulator, "retention:session:")
    assert len(sent) == 1 and "live session" in text_of(sent[0])


def _dms(emulator, prefix: str) -> list[dict]:
    return [c.args for c in emulator.calls_to("chat.postMessage")
            if ((c.args.get("metadata") or {}).get("event_payload") or {}).get("key", "").startswith(prefix)]


def test_a_fixed_offset_zone_keeps_its_offset_and_an_iana_zone_follows_dst():
    week = Week(1, datetime(2026, 3, 24, 18, 0, tzinfo=UTC), datetime(2026, 3, 31, 17, 0, tzinfo=UTC), None)
    sunday = parse_weekly_time("Sun 17:00")
    assert weekly_moment(sunday, "UTC-03:00", week) == datetime(2026, 3, 29, 20, 0, tzinfo=UTC)
    assert weekly_moment(sunday, "Europe/London", week) == datetime(2026, 3, 29, 16, 0, tzinfo=UTC)  # BST from today
    # the last day, in BST
    assert weekly_moment(parse_weekly_time("Tue 17:30"), "Europe/London", week) == datetime(2026, 3, 31, 16, 30,
                                                                                            tzinfo=UTC)


async def test_the_home_shows_the_members_state_with_an_undo_and_the_organizers_numbers(bot, emulator):
    await bot.create_cohort(organizers=["UADMIN"])
    await command(bot, "pause 3")
    bot.clock.set(WEEK1 + timedelta(days=1))
    for user in ("U1", "UADMIN"):
        await bot.event({"type": "app_home_opened", "user": user, "tab": "home"})
    await bot.settle()
    member = text_of(emulator.workspace.home_views["U1"])
    assert "No reading reminder · nudges on · paused until" in member and "Resume nudges" in member
    organizer = text_of(emulator.workspace.home_views["UADMIN"])
    assert "Weekly picture — fastbook, week 1 of 20" in organizer and "Resume nudges" not in organizer


async def test_joining_the_groups_offers_the_planning_prompt(bot):
    await bot.create_cohort()
    await bot.slash("join Europe/London")
    await bot.settle()
    joined = await bot.reply()
    assert any(e.get("action_id") == views.PLAN_OPEN_ACTION for b in joined["blocks"] if b["type"] == "actions"
               for e in b["elements"])


async def test_a_reading_reminder_after_the_weeks_session_names_the_next_one(bot, emulator):
    await bot.create_cohort(session_time="Thu 18:00")
    await bot.slash("remind")
    await bot.settle()
    modal = emulator.calls_to("views.open")[-1].args["view"]
    await bot.submit(modal, {views.PLAN_BLOCK: {views.PLAN_CHOICE_ACTION: {"selected_option": {"value": "Sat 10:00"}}}})
    await bot.settle()
    await bot.tick(datetime(2026, 3, 7, 10, 0, tzinfo=UTC))  # Saturday of week 1: Thursday's session is past
    reminder = text_of(_dms(emulator, "retention:plan:")[0])
    past, next_one = datetime(2026, 3, 5, 18, 0, tzinfo=UTC), datetime(2026, 3, 12, 18, 0, tzinfo=UTC)
    assert f"<!date^{int(past.timestamp())}^" not in reminder
    assert f"Next live session: <!date^{int(next_one.timestamp())}^" in reminder
