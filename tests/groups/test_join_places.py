"""`/study join` with what members actually type — a city, a country, an ambiguous name, an offset —
through signed requests: the reply they see, the buttons they can click, and what is stored."""
from __future__ import annotations

from tests.groups.helpers import make_cohort, members, slash_reply
from tests.harness import text_of


def buttons(emulator) -> list[dict]:  # type: ignore[no-untyped-def]
    reply = emulator.responses[-1]
    return [e for b in reply.get("blocks") or [] if b["type"] == "actions" for e in b["elements"]]


async def test_a_city_or_a_single_zone_country_joins_and_the_reply_names_the_place(bot, emulator):
    await make_cohort(bot)
    mumbai = await slash_reply(bot, "join Mumbai", user="U2")
    assert "Your time zone: *Asia/Kolkata* (UTC+05:30 now)." in mumbai
    assert "That's the time of Mumbai, India." in mumbai
    india = await slash_reply(bot, "join India", user="U3")
    assert "*Asia/Kolkata* (UTC+05:30 now)" in india and "That's the time of India." in india
    bangalore = await slash_reply(bot, "join Bangalore", user="U4")
    assert "Bengaluru, India" in bangalore
    stored = await members(bot)
    assert {user: m.zone for user, m in stored.items()} == {"U2": "Asia/Kolkata", "U3": "Asia/Kolkata",
                                                           "U4": "Asia/Kolkata"}
    assert "((" not in mumbai + india and "right now" not in mumbai


async def test_a_country_on_several_zones_asks_which_by_big_city_and_a_click_joins(bot, emulator):
    await make_cohort(bot)
    text = await slash_reply(bot, "join USA")
    assert "United States spans several time zones. Which one is yours?" in text
    assert await members(bot) == {}
    labels = [b["text"]["text"] for b in buttons(emulator)]
    assert labels[:3] == ["Eastern — New York City", "Central — Chicago", "Pacific — Los Angeles"]
    pacific = next(b for b in buttons(emulator) if b["text"]["text"] == "Pacific — Los Angeles")
    await bot.click(pacific["action_id"], pacific["value"])
    confirmation = text_of(await bot.reply())
    assert "*America/Los_Angeles*" in confirmation
    assert (await members(bot))["U1"].zone == "America/Los_Angeles"


async def test_an_ambiguous_city_takes_the_largest_says_so_and_offers_the_others(bot, emulator):
    await make_cohort(bot)
    text = await slash_reply(bot, "join Portland")
    assert "*America/Los_Angeles*" in text
    assert "That's Portland, Oregon, United States, the largest place of that name" in text
    assert (await members(bot))["U1"].zone == "America/Los_Angeles"
    maine = next(b for b in buttons(emulator) if b["text"]["text"] == "Use Portland, Maine, United States")
    await bot.click(maine["action_id"], maine["value"])
    changed = text_of(await bot.reply())
    assert "Updated: your time zone is now *America/New_York*" in changed
    assert (await members(bot))["U1"].zone == "America/New_York"


async def test_a_fixed_offset_is_accepted_with_a_word_about_daylight_saving(bot):
    await make_cohort(bot)
    text = await slash_reply(bot, "join GMT+1")
    assert "Your time zone: *UTC+01:00*." in text
    assert "won't follow daylight saving" in text and "/study join Lisbon" in text
    assert (await members(bot))["U1"].zone == "UTC+01:00"


async def test_a_misspelling_is_read_as_the_place_it_is_close_to_and_said_so(bot):
    await make_cohort(bot)
    text = await slash_reply(bot, "join Philadelpia")
    assert 'I read "Philadelpia" as Philadelphia, Pennsylvania, United States' in text
    assert (await members(bot))["U1"].zone == "America/New_York"


async def test_a_huge_answer_is_refused_with_a_short_echo_and_nothing_stored(bot):
    await make_cohort(bot)
    text = await slash_reply(bot, "join " + "Lisbon " * 800)
    assert "too long for a place name" in text and "Nothing was changed" in text
    assert len(text) < 300
    assert await members(bot) == {}
    unknown = await slash_reply(bot, "join " + "z" * 90)
    assert '"' + "z" * 39 + '…"' in unknown and len(unknown) < 300
