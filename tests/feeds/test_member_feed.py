"""A member's private feed, from `/study calendar` to the parsed .ics: the cohort's sessions (New York), their
study group's weekly meeting and their reading time (Sydney), across both countries' daylight-saving changes;
a changed plan is a 200, then a 304 again."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.retention import views as planning
from tests.feeds.conftest import URL, fetch, starts
from tests.groups.helpers import date_tokens, groups, slash_reply, tick_groups
from tests.harness import StudyBot, text_of

SYDNEY = ZoneInfo("Australia/Sydney")
FORM_AT = datetime(2026, 2, 6, 14, 0, tzinfo=UTC)  # three days after week 1 opens (Tue 3 Feb 09:00 New York)
MEMBER = "UAU000000"


async def grouped_member(bot: StudyBot) -> str:
    """Four Sydney members in a New York cohort, formed into a group; returns the group's intro text."""
    await bot.create_cohort(timezone="America/New_York", start="2026-02-03 09:00", session_time="Tue 18:00",
                            weeks=20)
    for i in range(4):
        bot.emulator.workspace.add_user(f"UAU00000{i}", tz="Australia/Sydney", tz_offset=39600)
        await slash_reply(bot, "join", user=f"UAU00000{i}")
    await tick_groups(bot, FORM_AT)
    [group] = await groups(bot)
    return text_of(bot.emulator.posted(group.channel_id)[0].args)


async def plan(bot: StudyBot, choice: str) -> None:
    await bot.slash("remind", user=MEMBER)
    await bot.settle()
    modal = bot.emulator.calls_to("views.open")[-1].args["view"]
    await bot.submit(modal, {
        planning.PLAN_BLOCK: {planning.PLAN_CHOICE_ACTION: {"selected_option": {"value": choice}}},
        planning.PLAN_SESSION_BLOCK: {planning.PLAN_SESSION_ACTION: {"selected_options": []}}}, user=MEMBER)
    await bot.settle()


async def my_token(bot: StudyBot) -> str:
    reply = await slash_reply(bot, "calendar", user=MEMBER)
    match = URL.search(reply)
    assert match is not None, reply
    return match.group(1)


def local(instants: dict[str, datetime]) -> set[tuple[int, int, int]]:
    """The (weekday, hour, minute) in Sydney of every instant."""
    return {(t.astimezone(SYDNEY).weekday(), t.astimezone(SYDNEY).hour, t.astimezone(SYDNEY).minute)
            for t in instants.values()}


async def test_the_member_feed_holds_sessions_group_meeting_and_reading_time_in_their_zone(feeds_bot):
    intro = await grouped_member(feeds_bot)
    await plan(feeds_bot, "Mon 19:00")
    token = await my_token(feeds_bot)
    fetched = await fetch(feeds_bot, token)
    assert fetched.status == 200
    events = fetched.events()

    sessions = starts(events, "fastbook live session")
    assert len(sessions) == 20 and min(sessions.values()) == datetime(2026, 2, 3, 23, 0, tzinfo=UTC)

    reading = starts(events, "Reading time")
    assert len(reading) == 20 and local(reading) == {(0, 19, 0)}  # Mondays 19:00 in Sydney, all 20 weeks
    assert {datetime(2026, 3, 30, 8, 0, tzinfo=UTC), datetime(2026, 4, 6, 9, 0, tzinfo=UTC)} <= set(reading.values())

    meetings = starts(events, "Study group meeting")
    first_slot = date_tokens(intro)[0]  # the first weekly time the group's intro suggested
    assert local(meetings) == {(first_slot.astimezone(SYDNEY).weekday(), first_slot.astimezone(SYDNEY).hour,
                                first_slot.astimezone(SYDNEY).minute)}
    assert min(meetings.values()) == first_slot and len(meetings) == 20
    offsets = {t.astimezone(SYDNEY).utcoffset() for t in meetings.values()}
    assert offsets == {timedelta(hours=11), timedelta(hours=10)}  # the same local time either side of 5 April
    uids = set(meetings) | set(reading)
    assert all(uid.endswith("@study.example.org") for uid in uids) and len(uids) == 40


async def test_a_changed_plan_changes_the_feed_and_other_members_see_none_of_it(feeds_bot):
    await grouped_member(feeds_bot)
    await plan(feeds_bot, "Mon 19:00")
    token = await my_token(feeds_bot)
    first = await fetch(feeds_bot, token)
    etag = first.headers["ETag"]
    assert (await fetch(feeds_bot, token, If_None_Match=etag)).status == 304

    feeds_bot.clock.advance(minutes=5)
    await plan(feeds_bot, "Sat 10:00")
    changed = await fetch(feeds_bot, token, If_None_Match=etag)
    assert changed.status == 200 and changed.headers["ETag"] != etag
    assert local(starts(changed.events(), "Reading time")) == {(5, 10, 0)}
    assert (await fetch(feeds_bot, token, If_None_Match=changed.headers["ETag"])).status == 304

    other = URL.search(await slash_reply(feeds_bot, "calendar", user="UAU000001"))
    assert other is not None and other.group(1) != token
    theirs = (await fetch(feeds_bot, other.group(1))).events()
    assert starts(theirs, "Reading time") == {}  # no plan of theirs; never someone else's
    assert len(starts(theirs, "Study group meeting")) == 20



async def test_a_new_member_of_their_group_changes_the_version_and_another_group_does_not(feeds_bot):
    await feeds_bot.create_cohort(timezone="America/New_York", start="2026-02-03 09:00", session_time="Tue 18:00",
                                  weeks=20)
    for i, zone in enumerate(["America/New_York"] * 4 + ["Australia/Sydney"] * 4):  # New York's rows come first
        feeds_bot.emulator.workspace.add_user(f"UAU00000{i}", tz=zone)
        await slash_reply(feeds_bot, "join", user=f"UAU00000{i}")
    await tick_groups(feeds_bot, FORM_AT)
    assert len(await groups(feeds_bot)) == 2
    await slash_reply(feeds_bot, "calendar", user="UAU000001")  # a New York member's link, made first
    member = "UAU000005"  # in the Sydney group
    token = URL.search(await slash_reply(feeds_bot, "calendar", user=member)).group(1)  # type: ignore[union-attr]
    first = await fetch(feeds_bot, token)
    meetings = starts(first.events(), "Study group meeting")
    assert len(meetings) == 20 and local(meetings) == {local(meetings).pop()}

    feeds_bot.emulator.workspace.add_user("UNYLATE01", tz="America/Toronto")
    assert "You're in the group" in await slash_reply(feeds_bot, "join", user="UNYLATE01")
    assert (await fetch(feeds_bot, token, If_None_Match=first.headers["ETag"])).status == 304  # not their group

    feeds_bot.emulator.workspace.add_user("UAULATE01", tz="Australia/Melbourne")
    assert "You're in the group" in await slash_reply(feeds_bot, "join", user="UAULATE01")
    changed = await fetch(feeds_bot, token, If_None_Match=first.headers["ETag"])
    assert changed.status == 200  # their group's members are part of the feed's version
    assert starts(changed.events(), "Study group meeting") == meetings  # a neighbour's zone: the same slot
    assert (await fetch(feeds_bot, token, If_None_Match=changed.headers["ETag"])).status == 304
