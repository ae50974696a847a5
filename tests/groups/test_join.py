"""`/study join`, `/study leave`, `/study group` and the preferences modal, through signed requests."""
from __future__ import annotations

from bot.groups.views import PREFERENCES_ACTION, PREFERENCES_VIEW
from tests.groups.helpers import OTHER, date_tokens, make_cohort, members, slash_reply
from tests.harness import text_of


async def test_join_with_the_profile_zone_confirms_zone_offset_and_formation_time(bot, emulator):
    await make_cohort(bot)
    emulator.workspace.add_user("U2", tz="Asia/Kolkata", tz_offset=19800)
    text = await slash_reply(bot, "join", user="U2")
    assert "Your time zone: *Asia/Kolkata* (UTC+05:30 now)." in text
    assert "Groups will be formed" in text
    # Week 1 opens Tue 3 Mar 2026 18:00 London; groups form three days later.
    assert [t.isoformat() for t in date_tokens(text)] == ["2026-03-06T18:00:00+00:00"]
    assert [c.args["user"] for c in emulator.calls_to("users.info")] == ["U2"]
    stored = (await members(bot))["U2"]
    assert (stored.zone, stored.group_id, stored.left_at) == ("Asia/Kolkata", None, None)


async def test_a_zone_typed_in_any_usual_form_is_understood(bot, emulator):
    await make_cohort(bot)
    for user, typed, stored in [("U2", "kolkata", "Asia/Kolkata"), ("U3", "UTC+5:30", "UTC+05:30"),
                                ("U4", "são paulo", "America/Sao_Paulo"), ("U5", "+0545", "UTC+05:45")]:
        emulator.workspace.add_user(user)
        await slash_reply(bot, f"join {typed}", user=user)
        assert (await members(bot))[user].zone == stored
    assert emulator.calls_to("users.info") == []  # a typed zone needs no profile look-up


async def test_an_ambiguous_abbreviation_offers_a_short_list_and_a_click_joins(bot, emulator):
    await make_cohort(bot)
    text = await slash_reply(bot, "join IST")
    assert "Asia/Kolkata" in text and "Asia/Jerusalem" in text and "Europe/Dublin" in text
    assert await members(bot) == {}
    reply = emulator.responses[-1]
    buttons = [e for b in reply["blocks"] if b["type"] == "actions" for e in b["elements"]]
    dublin = next(b for b in buttons if b["text"]["text"] == "Europe/Dublin")
    await bot.click(dublin["action_id"], dublin["value"])
    confirmation = text_of(await bot.reply())
    assert "*Europe/Dublin*" in confirmation
    assert (await members(bot))["U1"].zone == "Europe/Dublin"


async def test_an_unknown_zone_is_refused_with_suggestions_and_nothing_stored(bot):
    await make_cohort(bot)
    text = await slash_reply(bot, "join Asia/Kolkatta")
    assert "I don't recognise" in text and "Did you mean Asia/Kolkata?" in text and "Nothing was changed" in text
    assert await members(bot) == {}


async def test_a_profile_without_a_zone_asks_for_one(bot, emulator):
    await make_cohort(bot)
    emulator.workspace.add_user("U2", tz=None)
    text = await slash_reply(bot, "join", user="U2")
    assert "Your Slack profile has no time zone" in text and "/study join UTC+5:30" in text
    assert await members(bot) == {}


async def test_joining_twice_is_idempotent_and_a_new_zone_updates(bot):
    await make_cohort(bot)
    await slash_reply(bot, "join")
    again = await slash_reply(bot, "join")
    assert "already joined" in again and "Nothing changed" in again
    moved = await slash_reply(bot, "join Tokyo")
    assert "Updated: your time zone is now *Asia/Tokyo* (UTC+09:00 now)." in moved
    assert len(await members(bot)) == 1 and (await members(bot))["U1"].zone == "Asia/Tokyo"


async def test_join_outside_a_cohort_channel_with_several_cohorts_says_where_to_go(bot):
    await make_cohort(bot, "fastbook-a")
    await make_cohort(bot, "fastbook-b", channel_id=OTHER)
    text = await slash_reply(bot, "join", channel="C9")
    assert "several cohorts (fastbook-a, fastbook-b)" in text and "Nothing was changed" in text
    assert await members(bot) == {}
    await slash_reply(bot, "join", channel=OTHER)
    assert (await members(bot))["U1"].cohort_id == 2


async def test_join_with_no_cohort_at_all(bot):
    text = await slash_reply(bot, "join")
    assert "no study cohort here yet" in text


async def test_leave_and_group_when_not_in_a_group(bot):
    await make_cohort(bot)
    assert "You're not in a study group" in await slash_reply(bot, "leave")
    assert "You haven't joined" in await slash_reply(bot, "group")
    await slash_reply(bot, "join")
    assert "Groups will be formed" in await slash_reply(bot, "group")
    assert "won't be put in a group" in await slash_reply(bot, "leave")
    assert (await members(bot))["U1"].left_at is not None
    assert "You're not in a study group" in await slash_reply(bot, "leave")


async def test_preferences_modal_opens_from_the_join_reply_and_saves(bot, emulator):
    await make_cohort(bot)
    await slash_reply(bot, "join")
    button = next(e for b in emulator.responses[-1]["blocks"] if b["type"] == "actions" for e in b["elements"])
    assert button["action_id"] == PREFERENCES_ACTION
    await bot.click(PREFERENCES_ACTION, button["value"])
    await emulator.wait_for(lambda e: e.calls_to("views.open"))
    view = emulator.calls_to("views.open")[0].args["view"]
    assert view["callback_id"] == PREFERENCES_VIEW
    values = {"days": {"days": {"type": "checkboxes", "selected_options": [{"value": "weekends"}]}},
              "times": {"times": {"type": "checkboxes", "selected_options": [{"value": "evenings"}]}}}
    answer = await bot.submit(view, values)
    assert answer.status == 200 and answer.text == ""
    assert (await members(bot))["U1"].prefers == ["evenings", "weekends"]


async def test_preferences_before_joining_are_refused_on_the_modal(bot):
    await make_cohort(bot)
    view = {"type": "modal", "callback_id": PREFERENCES_VIEW, "private_metadata": "1"}
    answer = await bot.submit(view, {"days": {"days": {"selected_options": [{"value": "weekdays"}]}}})
    assert answer.json()["response_action"] == "errors"


async def test_help_lists_the_group_commands_and_admin_groups_sits_beside_admin(bot):
    await make_cohort(bot, organizers=["UADMIN"])
    help_text = await slash_reply(bot, "help")
    for usage in ("/study join [time zone]", "/study leave", "/study group", "/study admin groups form"):
        assert usage in help_text
    assert "Usage: `/study admin groups form" in await slash_reply(bot, "admin groups", user="UADMIN")
    assert "admin groups" not in await slash_reply(bot, "admin status", user="UADMIN")
