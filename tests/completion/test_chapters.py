"""Chapters done: by answers (at least half of a chapter's current questions: answered × 2 ≥ questions), by
`/study done [N]` and its undo, bad input changing nothing, and where members see the count."""
from __future__ import annotations

from datetime import timedelta

from bot.completion.chapters import done_by_answers
from tests.completion.helpers import done_of, join, marks_of, private_answer, study
from tests.questionnaire.conftest import (
    ADA,
    GRACE,
    WEEK1,
    add_questions,
    make_cohort,
    prompts_of,
    tick_questionnaire,
)


def test_at_least_half_rounds_up_for_an_odd_count():
    assert [done_by_answers(n, 3) for n in range(4)] == [False, False, True, True]  # 2 of 3, not 1 of 3
    assert [done_by_answers(n, 4) for n in range(5)] == [False, False, True, True, True]  # 2 of 4
    assert done_by_answers(1, 1) and not done_by_answers(0, 1)
    assert not done_by_answers(0, 0)  # a chapter without questions is done only by a mark


async def test_half_of_the_current_questions_answered_in_threads_or_privately_makes_a_chapter_done(bot, members):
    cohort = await make_cohort(bot, questions=0)
    await add_questions(bot, cohort.id, 1, 4, retired=(4,))  # three current questions, one retired
    await add_questions(bot, cohort.id, 2, 2)
    await tick_questionnaire(bot, WEEK1)
    prompts = await prompts_of(bot, 1)
    await members.reply(ADA, prompts[1].ts, "first part")
    await members.reply(ADA, prompts[1].ts, "second part of the same answer")  # still one question
    await members.reply(GRACE, prompts[1].ts, "grace: one of three")
    assert await done_of(bot, cohort) == {}  # 1 of 3 is less than half
    await private_answer(bot, cohort, ADA, 1, 3)
    assert await done_of(bot, cohort) == {ADA: {1}}  # 2 of 3: a thread answer and a private one
    await private_answer(bot, cohort, GRACE, 1, 4)  # a retired question does not count
    assert await done_of(bot, cohort) == {ADA: {1}}

    await tick_questionnaire(bot, WEEK1 + timedelta(days=7))
    await members.reply(GRACE, (await prompts_of(bot, 2))[2].ts, "one of two is half")
    assert await done_of(bot, cohort) == {ADA: {1}, GRACE: {2}}
    shown = await study(bot, "progress", ADA)
    assert "1 of 20 chapters done" in shown and "15 complete the cohort" in shown
    assert "1 of 20 chapters done" in await study(bot, "progress", GRACE)


async def test_done_marks_this_weeks_chapter_or_the_one_named_and_undo_takes_only_the_mark_back(bot, members):
    cohort = await make_cohort(bot, questions=2)
    await join(bot, cohort, ADA)
    await tick_questionnaire(bot, WEEK1)
    await members.reply(ADA, (await prompts_of(bot, 1))[1].ts, "half of chapter 1")
    bot.clock.set(WEEK1 + timedelta(days=8))  # week 2
    assert "Chapter 2 is marked done" in (shown := await study(bot, "done", ADA))
    assert "2 of 20 chapters done" in shown
    assert "Chapter 5 is marked done" in await study(bot, "done 5", ADA)  # reading ahead is fine
    assert "already marked chapter 5 done" in await study(bot, "done chapter 5", ADA)
    assert await marks_of(bot) == [(ADA, 2), (ADA, 5)]
    assert await done_of(bot, cohort) == {ADA: {1, 2, 5}}

    assert "no longer marked done" in (shown := await study(bot, "done 5 undo", ADA))
    assert "2 of 20 chapters done" in shown
    assert "wasn't marked done — nothing to undo" in await study(bot, "done 5 undo", ADA)
    # chapter 1 is done by answers: undo neither removes that nor claims to
    assert "answered at least half" in (shown := await study(bot, "done 1 undo", ADA))
    assert "Nothing was changed" in shown
    await study(bot, "done 1", ADA)
    assert "still counts as done" in await study(bot, "done 1 undo", ADA)
    assert await marks_of(bot) == [(ADA, 2)]
    assert await done_of(bot, cohort) == {ADA: {1, 2}}
    assert "undo" in await study(bot, "help", ADA)  # `/study help` lists `done [N] [undo]`


async def test_bad_input_and_strangers_get_one_friendly_line_and_nothing_changes(bot):
    cohort = await make_cohort(bot, questions=1)
    assert "haven't joined fastbook yet" in await study(bot, "done 3", GRACE)  # not in the cohort
    await join(bot, cohort, ADA)
    assert "No chapter of fastbook has opened yet" in await study(bot, "done", ADA)  # before week 1
    bot.clock.set(WEEK1 + timedelta(days=1))
    for args, expected in (("done 99", "There's no chapter 99 in fastbook — chapters go from 1 to 20."),
                           ("done 0", "There's no chapter 0"),
                           ("done abc", "Usage: `/study done [N] [undo]`"),
                           ("done 3 please", "Usage: `/study done [N] [undo]`"),
                           ("done ²", "Usage:")):
        shown = await study(bot, args, ADA)
        assert expected in shown and "Nothing was changed." in shown, (args, shown)
        assert "\n" not in shown.strip(), shown  # one line
    assert await marks_of(bot) == []


async def test_answers_reply_and_the_home_show_chapters_done(bot, members, emulator):
    from tests.harness import text_of
    from tests.home.helpers import open_home

    cohort = await make_cohort(bot, questions=2)
    await join(bot, cohort, ADA)
    await tick_questionnaire(bot, WEEK1)
    await members.reply(ADA, (await prompts_of(bot, 1))[1].ts, "my answer")
    assert "1 of 20 chapters done" in await study(bot, "answers", ADA)
    assert "1 of 20 chapters done" in text_of(await open_home(bot, ADA))
    await study(bot, "done 3", ADA)  # the Home reopened at once shows the mark (it is in the member's fingerprint)
    assert "2 of 20 chapters done" in text_of(await open_home(bot, ADA))
