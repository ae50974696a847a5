"""What one `/study progress` costs (with its chapters done): a bounded number of queries and no Web API call in
the ack path."""
from __future__ import annotations

from tests.harness import text_of
from tests.perf.queries import statements
from tests.questionnaire.conftest import ADA, CHANNEL, GRACE, WEEK1, make_cohort, prompts_of, tick_questionnaire
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
    assert " of 20 chapters done" in shown
    # the cohort, the progress, and the member's chapter marks (on the unique key's index)
    assert len(seen) <= 3, seen
    assert "FROM completion_marks" in seen[-1] and "completion_marks.user_id =" in seen[-1], seen[-1]


async def test_an_answer_in_a_burst_costs_few_statements_and_one_reaction(bot, emulator, members):
    """After the first answer refreshed the count, the next ones inside the window: the inbox's write before
    the ack, then one transaction (prompt, answer with its ✅ claim, dirty mark), then the other consumers'
    look-ups, then the inbox's done mark."""
    await make_cohort(bot, questions=1)
    await tick_questionnaire(bot, WEEK1)
    prompt = (await prompts_of(bot))[1]
    await members.reply(ADA, prompt.ts, "first")
    calls = len(emulator.calls)
    with statements(bot.db, inbox=True) as seen:
        await members.reply(GRACE, prompt.ts, "second")
    assert [c.method for c in emulator.calls[calls:]] == ["reactions.add"]
    writes = [s for s in seen if not s.lstrip().upper().startswith("SELECT")]
    assert len(writes) == 4, writes  # the inbox's write, answer, dirty mark, the inbox's done mark
    # ... plus one read each for the prompt, the group activity and the share channel, and two for the
    # welcome back (a group channel? the answer with its cohort and the member's preferences): the
    # member's activity is not read in the first weeks, when no quiet spell can be over.
    assert len(seen) <= 9, "\n".join(s[:90] for s in seen)
