"""A week's questions go out at the cohort's pace, each exactly once, even across crashes."""
from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import delete, func, select, update

from bot.models import Cohort, JobRun, OutboundMessage, Question
from bot.models.questionnaire import Prompt
from bot.scheduling import tick
from schedules.questionnaire import PostPrompts
from tests.harness import text_of
from tests.questionnaire.conftest import (
    CHANNEL,
    WEEK1,
    add_questions,
    make_cohort,
    prompt_posts,
    prompts_of,
    tick_questionnaire,
)


def question_numbers(calls) -> list[str]:  # type: ignore[no-untyped-def]
    return [text_of(c.args).split("Q", 1)[1].split(" ", 1)[0] for c in calls]


async def test_all_at_once_posts_every_question_when_the_week_opens(bot, emulator):
    await make_cohort(bot, questions=6, per_day=None)
    assert await tick_questionnaire(bot, WEEK1 - timedelta(minutes=1)) == []
    await tick_questionnaire(bot, WEEK1)
    posted = prompt_posts(emulator, CHANNEL)
    assert question_numbers(posted) == ["1", "2", "3", "4", "5", "6"]
    first = text_of(posted[0].args)
    assert "Chapter 1 · Your Deep Learning Journey" in first and "Q1 of 6" in first
    assert "Chapter 1 question 1: what does *this* mean?" in first
    assert "Reply in this thread" in first
    assert posted[0].args["blocks"][-1]["elements"][0]["text"]["text"] == "Answer privately"
    assert bot.sleeps == [1.0] * 5  # one message a second in the channel
    prompts = await prompts_of(bot)
    assert [p.ts for p in prompts.values()] == [c.response["ts"] for c in posted]
    await tick_questionnaire(bot, WEEK1 + timedelta(hours=1))
    assert len(prompt_posts(emulator, CHANNEL)) == 6


async def test_a_daily_drip_releases_n_a_day_and_everything_before_the_week_ends(bot, emulator):
    await make_cohort(bot, questions=12, per_day=5)
    await tick_questionnaire(bot, WEEK1)
    assert question_numbers(prompt_posts(emulator)) == ["1", "2", "3", "4", "5"]
    await tick_questionnaire(bot, WEEK1 + timedelta(hours=23))
    assert len(prompt_posts(emulator)) == 5
    await tick_questionnaire(bot, WEEK1 + timedelta(days=1))
    assert len(prompt_posts(emulator)) == 10
    await tick_questionnaire(bot, WEEK1 + timedelta(days=2, hours=3))
    assert question_numbers(prompt_posts(emulator))[10:] == ["11", "12"]
    await tick_questionnaire(bot, WEEK1 + timedelta(days=6))
    assert len(prompt_posts(emulator)) == 12


async def test_the_default_drip_spreads_the_chapter_over_the_week(bot, emulator):
    cohort = await bot.create_cohort(channel_id=CHANNEL)  # prompts_per_day defaults to 0: spread automatically
    await add_questions(bot, cohort.id, 1, 33)
    daily = []
    for day in range(7):
        await tick_questionnaire(bot, WEEK1 + timedelta(days=day))
        daily.append(len(prompt_posts(emulator)))
    assert daily == [5, 10, 15, 20, 25, 30, 33]


async def test_a_crash_half_way_is_finished_once_by_the_next_tick(bot, emulator):
    await make_cohort(bot, questions=8, per_day=None)
    posts = {"n": 0}

    def fail_the_fifth(call):  # type: ignore[no-untyped-def]
        if call.method == "chat.postMessage":
            posts["n"] += 1
            if posts["n"] == 4:  # the 5th post then fails (a post is not retried on a 5xx: Slack may have posted)
                emulator.fail_next("chat.postMessage", status=500)

    emulator.on_call.append(fail_the_fifth)
    results = await tick_questionnaire(bot, WEEK1)
    emulator.on_call.clear()
    assert [r.outcome for r in results if r.job == "questionnaire-prompts"] == ["failed"]
    delivered = prompt_posts(emulator, delivered=True)
    assert question_numbers(delivered) == ["1", "2", "3", "4"]
    results = await tick_questionnaire(bot, WEEK1 + timedelta(minutes=1))
    assert [r.outcome for r in results if r.job == "questionnaire-prompts"] == ["ran"]
    delivered = prompt_posts(emulator, delivered=True)
    assert question_numbers(delivered) == ["1", "2", "3", "4", "5", "6", "7", "8"]
    assert len(await prompts_of(bot)) == 8


async def test_a_crash_between_slack_and_our_commit_never_posts_a_second_copy(bot, emulator):
    """Slack took prompt 3, then the process died before recording it; 4 and 5 were never tried."""
    await make_cohort(bot, questions=5, per_day=None)
    await tick_questionnaire(bot, WEEK1)
    first = prompt_posts(emulator)
    for call in first[3:]:  # rewind the world to the moment of the crash
        del emulator.workspace.channels[CHANNEL].messages[call.response["ts"]]
        emulator.calls.remove(call)
    async with bot.db.session() as session:
        await session.execute(update(OutboundMessage).where(OutboundMessage.key.like("prompt:%:1:3"))
                              .values(status="pending", ts=None))
        await session.execute(delete(OutboundMessage).where(
            OutboundMessage.key.like("prompt:%:1:4") | OutboundMessage.key.like("prompt:%:1:5")))
        await session.execute(delete(Prompt).where(Prompt.position >= 3))
        await session.execute(update(JobRun).where(JobRun.job == "questionnaire-prompts").values(status="running"))
    await tick_questionnaire(bot, WEEK1 + timedelta(minutes=11))  # after the run's and the post's leases
    assert question_numbers(prompt_posts(emulator)) == ["1", "2", "3", "4", "5"]
    lookups = [c for c in emulator.calls_to("conversations.history") if c.args.get("include_all_metadata")]
    assert len(lookups) == 1  # post_once's search by metadata (the answers catch-up reads history too)
    prompts = await prompts_of(bot)
    assert sorted(prompts) == [1, 2, 3, 4, 5]
    assert prompts[3].ts == first[2].response["ts"]  # found again by its metadata, not reposted


async def test_concurrent_ticks_post_each_question_once(bot, emulator, clock):
    await make_cohort(bot, questions=6, per_day=None)
    clock.set(WEEK1)
    jobs = [PostPrompts()]
    await asyncio.gather(*(tick(bot.db, jobs, bot.runtime.job_context()) for _ in range(4)))
    assert question_numbers(prompt_posts(emulator)) == ["1", "2", "3", "4", "5", "6"]


async def test_retired_questions_are_skipped_and_a_questionnaire_channel_is_used(bot, emulator):
    emulator.workspace.add_channel("C0QUESTIONS", "fastbook-questions", members={"U1"})
    cohort = await make_cohort(bot, questions=0, per_day=None)
    async with bot.db.session() as session:
        await session.execute(
            update(Cohort).where(Cohort.id == cohort.id).values(questionnaire_channel_id="C0QUESTIONS"))
    await add_questions(bot, cohort.id, 1, 4, retired=(2,))
    await tick_questionnaire(bot, WEEK1)
    assert prompt_posts(emulator, CHANNEL) == []
    assert question_numbers(prompt_posts(emulator, "C0QUESTIONS")) == ["1", "3", "4"]
    assert "Q4 of 4" in text_of(prompt_posts(emulator, "C0QUESTIONS")[-1].args)


async def test_week_two_posts_chapter_two_and_nothing_is_posted_without_questions(bot, emulator):
    cohort = await make_cohort(bot, questions=0, per_day=None)
    await bot.tick(at=WEEK1)  # every job of the bot, as `studybot tick` runs them
    assert prompt_posts(emulator) == []
    await add_questions(bot, cohort.id, 2, 3)
    await tick_questionnaire(bot, WEEK1 + timedelta(days=7))
    assert question_numbers(prompt_posts(emulator)) == ["1", "2", "3"]
    assert "Chapter 2 · From Model to Production" in text_of(prompt_posts(emulator)[0].args)
    async with bot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Prompt).where(Prompt.chapter == 2)) == 3


async def test_a_question_imported_mid_week_is_still_posted(bot, emulator):
    cohort = await make_cohort(bot, questions=3, per_day=None)
    await tick_questionnaire(bot, WEEK1)
    async with bot.db.session() as session:
        session.add(Question(team_id=bot.team_id, cohort_id=cohort.id, chapter=1, position=4, text="A late one?",
                             imported_at=WEEK1))
    await tick_questionnaire(bot, WEEK1 + timedelta(days=1))
    assert question_numbers(prompt_posts(emulator)) == ["1", "2", "3", "4"]
