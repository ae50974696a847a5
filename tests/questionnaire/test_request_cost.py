"""What one `/study progress` costs: a bounded number of queries and no Web API call in the ack path."""
from __future__ import annotations

from tests.harness import text_of
from tests.perf.queries import statements
from tests.questionnaire.conftest import ADA, CHANNEL
from tests.questionnaire.test_member import week_two_with_answers


async def test_progress_runs_few_queries_and_asks_slack_nothing(bot, emulator, members):
    _, chapter2 = await week_two_with_answers(bot, members)
    await bot.slash("progress", user=ADA, channel=CHANNEL)  # warms the process's caches
    await bot.reply()
    calls = len(emulator.calls)
    with statements(bot.db) as seen:
        await bot.slash("progress", user=ADA, channel=CHANNEL)
        shown = text_of(await bot.reply())
    assert f"p{chapter2[2].ts.replace('.', '')}|Q2 of 6>" in shown
    assert len(emulator.calls) == calls, [c.method for c in emulator.calls[calls:]]
    assert len(seen) <= 2, seen
