"""What one `/study group` costs: the cohort's lookup and one query, no Web API call."""
from __future__ import annotations

from tests.groups.helpers import make_cohort, slash_reply
from tests.groups.test_lifecycle import formed_cohort
from tests.perf.queries import statements


async def test_group_card_runs_two_queries_and_asks_slack_nothing(bot, emulator):
    india, _ = await formed_cohort(bot, emulator)
    calls = len(emulator.calls)
    with statements(bot.db) as seen:
        card = await slash_reply(bot, "group", user="U00000")
    assert f"<#{india.channel_id}>, 4 members" in card
    assert len(emulator.calls) == calls
    assert len(seen) == 2, seen


async def test_before_forming_it_is_two_queries_too(bot, emulator):
    await make_cohort(bot)
    emulator.workspace.add_user("U00001", tz="Asia/Kolkata")
    await slash_reply(bot, "join", user="U00001")
    with statements(bot.db) as seen:
        text = await slash_reply(bot, "group", user="U00001")
    assert "Asia/Kolkata" in text
    assert len(seen) == 2, seen
