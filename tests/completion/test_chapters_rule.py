"""The completion rule: `cohort set --complete-at K` (default 75% of the chapters, rounded up), and the count
closing two weeks after the last week."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from bot.cohorts.weeks import week_of
from bot.completion.chapters import complete_at, completion_closes_at
from bot.models import Cohort
from bot.models.completion import ChapterMark
from tests.cohorts.test_cli import in_thread
from tests.completion.helpers import done_of, join, marks_of, private_answer, study
from tests.questionnaire.conftest import ADA, GRACE, add_questions, make_cohort


async def cohort_now(bot, cohort: Cohort) -> Cohort:
    async with bot.db.session() as session:
        return await session.get(Cohort, cohort.id)


async def test_complete_at_defaults_to_three_quarters_rounded_up_and_cohort_set_changes_it(bot, database_url):
    cohort = await bot.create_cohort()
    assert complete_at(cohort) == 15  # 20 chapters
    for weeks, expected in ((1, 1), (4, 3), (7, 6), (10, 8), (12, 9)):  # 5.25 → 6, 7.5 → 8
        cohort.weeks = weeks
        assert complete_at(cohort) == expected, weeks
    result = await in_thread(database_url, "cohort", "set", "fastbook", "--complete-at", "12", "--team", bot.team_id)
    assert result.exit_code == 0 and "complete_at_chapters" in result.stdout, result.output
    assert complete_at(await cohort_now(bot, cohort)) == 12
    for bad, said in (("25", "from 1 to 20"), ("0", "from 1 to 20"), ("abc", "a number of chapters")):
        result = await in_thread(database_url, "cohort", "set", "fastbook", "--complete-at", bad, "--team",
                                 bot.team_id)
        assert result.exit_code != 0 and said in result.output, result.output
        assert len(result.output.strip().splitlines()) == 1, result.output
        assert (await cohort_now(bot, cohort)).complete_at_chapters == 12  # nothing changed
    result = await in_thread(database_url, "cohort", "set", "fastbook", "--complete-at", "default", "--team",
                             bot.team_id)
    assert result.exit_code == 0, result.output
    assert (await cohort_now(bot, cohort)).complete_at_chapters is None
    assert complete_at(await cohort_now(bot, cohort)) == 15


async def test_a_custom_rule_shows_in_progress_and_completing_says_so(bot):
    cohort = await make_cohort(bot, questions=1, weeks=4)
    await join(bot, cohort, ADA)
    async with bot.db.session() as session:
        await session.execute(update(Cohort).where(Cohort.id == cohort.id).values(complete_at_chapters=2))
    bot.clock.set(week_of(cohort, 1).opens_at + timedelta(hours=1))
    assert "0 of 4 chapters done* · 2 complete the cohort" in await study(bot, "progress", ADA)
    await study(bot, "done 1", ADA)
    assert "you've completed the cohort" in await study(bot, "done 2", ADA)


async def test_chapters_count_until_two_weeks_after_the_last_week_closes(bot):
    cohort = await make_cohort(bot, questions=1, weeks=3)
    await add_questions(bot, cohort.id, 3, 1)
    await join(bot, cohort, ADA, GRACE)
    closes_at = completion_closes_at(cohort)
    assert closes_at == week_of(cohort, 3).closes_at + timedelta(weeks=2)
    bot.clock.set(closes_at - timedelta(minutes=1))
    assert "Chapter 2 is marked done" in await study(bot, "done 2", ADA)  # after the last week: named chapters
    assert "Chapter 3 is marked done" in await study(bot, "done", ADA)  # … or the last one opened
    await private_answer(bot, cohort, GRACE, 1, 1, at=closes_at - timedelta(seconds=1))
    bot.clock.set(closes_at)
    for args in ("done 1", "done 2 undo"):
        shown = await study(bot, args, ADA)
        assert "were counted until" in shown and "Nothing was changed." in shown
    assert await marks_of(bot) == [(ADA, 2), (ADA, 3)]
    async with bot.db.session() as session:  # rows written after the close (a late event) do not count
        session.add(ChapterMark(team_id=bot.team_id, cohort_id=cohort.id, user_id=GRACE, chapter=2,
                                marked_at=closes_at))
    await private_answer(bot, cohort, GRACE, 3, 1, at=closes_at + timedelta(seconds=1))
    assert await done_of(bot, cohort) == {ADA: {2, 3}, GRACE: {1}}
    assert "1 of 3 chapters done" in await study(bot, "progress", GRACE)  # after the close: the same rule
