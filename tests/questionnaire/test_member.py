"""Each member's record: `/study progress`, `/study answers`, and private answers in a modal."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from bot.models.questionnaire import Answer
from tests.harness import text_of
from tests.questionnaire.conftest import (
    ADA,
    CHANNEL,
    GRACE,
    WEEK1,
    add_questions,
    make_cohort,
    prompts_of,
    tick_questionnaire,
)


async def week_two_with_answers(bot, members):  # type: ignore[no-untyped-def]
    """Chapter 1 (4 questions) answered 3/4, chapter 2 (6 questions, 2 a day) half out, Q1 answered."""
    cohort = await make_cohort(bot, questions=4, per_day=2)
    await add_questions(bot, cohort.id, 2, 6)
    for day in range(3):
        await tick_questionnaire(bot, WEEK1 + timedelta(days=day))
    chapter1 = await prompts_of(bot, 1)
    for position in (1, 2, 4):
        await members.reply(ADA, chapter1[position].ts, f"my answer to 1.{position}")
    await tick_questionnaire(bot, WEEK1 + timedelta(days=7))
    await tick_questionnaire(bot, WEEK1 + timedelta(days=8))
    chapter2 = await prompts_of(bot, 2)
    await members.reply(ADA, chapter2[1].ts, "my answer to 2.1")
    await members.reply(ADA, chapter2[1].ts, "and a second thought")
    await members.reply(GRACE, chapter2[2].ts, "grace's answer")
    bot.clock.set(WEEK1 + timedelta(days=8, hours=3))
    return cohort, chapter2


async def test_progress_counts_each_chapter_and_links_the_first_unanswered_question(bot, emulator, members):
    _, chapter2 = await week_two_with_answers(bot, members)
    await bot.slash("progress", user=ADA, channel=CHANNEL)
    reply = await bot.reply()
    assert reply["response_type"] == "ephemeral"
    shown = text_of(reply)
    assert "Chapter 1 · Your Deep Learning Journey — *3/4*" in shown
    assert "Chapter 2 · From Model to Production — *1/6*" in shown
    assert "*This week: Chapter 2 · From Model to Production* — 1 of 6 answered." in shown
    link = f"https://studybot-test.slack.com/archives/{CHANNEL}/p{chapter2[2].ts.replace('.', '')}"
    assert f"Next up: <{link}|Q2 of 6>" in shown
    assert emulator.calls_to("chat.getPermalink")[0].args["message_ts"] == chapter2[2].ts


async def test_progress_says_when_more_questions_come_once_all_posted_ones_are_answered(bot, members):
    cohort = await make_cohort(bot, questions=4, per_day=2)
    await tick_questionnaire(bot, WEEK1)
    for prompt in (await prompts_of(bot)).values():
        await members.reply(ADA, prompt.ts, "done")
    await bot.slash("progress", user=ADA, channel=CHANNEL)
    shown = text_of(await bot.reply())
    assert "2 of 4 answered" in shown and "more questions come out <!date^" in shown
    assert cohort.name in shown


async def test_progress_before_the_first_week_and_outside_any_cohort(bot):
    await make_cohort(bot, questions=3)
    await bot.slash("progress", user=ADA, channel=CHANNEL)
    assert "No questions are out yet" in text_of(await bot.reply())
    await bot.create_cohort("second", channel_id="C0SECOND01")
    await bot.slash("progress", user=ADA, channel="D0ADA00001")
    reply = text_of(await bot.reply())  # the one "which cohort" reply (bot.cohorts.which)
    assert "several cohorts (fastbook, second)" in reply and "`/study progress` in your cohort's channel" in reply


async def test_answers_arrive_as_a_markdown_dm(bot, emulator, members):
    await week_two_with_answers(bot, members)
    await bot.slash("answers 2", user=ADA, channel=CHANNEL)
    assert "sent you your 1 answer as Markdown" in text_of(await bot.reply())
    dm = emulator.posted(ADA)
    assert len(dm) == 1
    markdown = dm[0].args["blocks"][0]
    assert markdown["type"] == "markdown"
    assert markdown["text"] == (
        "# My answers — fastbook\n\n## Chapter 2: From Model to Production\n\n"
        "### Q1. Chapter 2 question 1: what does *this* mean?\n\nmy answer to 2.1\n\nand a second thought"
    )
    await bot.slash("answers", user=ADA, channel=CHANNEL)
    assert "your 4 answers" in text_of(await bot.reply())
    assert "### Q4. Chapter 1 question 4" in emulator.posted(ADA)[-1].args["blocks"][0]["text"]


async def test_long_answers_are_split_within_slacks_limits(bot, emulator, members):
    await make_cohort(bot, questions=3, per_day=None)
    await tick_questionnaire(bot, WEEK1)
    prompts = await prompts_of(bot)
    code = "```\n" + "\n".join(f"x_{i} = tensor([{i}])" for i in range(1500)) + "\n```"
    await members.reply(ADA, prompts[1].ts, ("word " * 7999) + "end")
    await members.reply(ADA, prompts[2].ts, code)
    await members.reply(ADA, prompts[3].ts, "x &lt; y, see <https://docs.fast.ai|the docs> — 勾配")
    await bot.slash("answers 1", user=ADA, channel=CHANNEL)
    await bot.reply()
    parts = [c.args["blocks"][0]["text"] for c in emulator.posted(ADA)]
    assert len(parts) >= 5
    assert all(len(p) <= 12_000 for p in parts)
    assert all(p.count("```") % 2 == 0 for p in parts)  # every piece of code still renders as code
    whole = "".join(parts)
    assert whole.count("end") == 1 and all(f"x_{i} = tensor([{i}])" in whole for i in (0, 777, 1499))
    assert parts[-1].endswith("x < y, see [the docs](https://docs.fast.ai) — 勾配")
    assert bot.sleeps.count(1.0) >= len(parts) - 1  # paced like any bulk posting


async def test_unknown_chapters_and_nothing_to_send_get_a_clear_ephemeral_answer(bot, emulator, members):
    await make_cohort(bot, questions=2, per_day=None)
    await bot.slash("answers 99", user=ADA, channel=CHANNEL)
    assert text_of(await bot.reply()) == "There's no chapter 99 in fastbook — chapters go from 1 to 20."
    await bot.slash("answers four", user=ADA, channel=CHANNEL)
    assert "Usage: `/study answers [chapter]`" in text_of(await bot.reply())
    await bot.slash("answers 1", user=ADA, channel=CHANNEL)
    assert "You haven't answered chapter 1's questions yet" in text_of(await bot.reply())
    assert emulator.posted(ADA) == []


async def test_a_chapter_that_is_not_a_plain_number_gets_the_usage_line(bot, emulator):
    """5,000 digits, superscripts and other scripts' digits are not chapter numbers (issue 10)."""
    await make_cohort(bot, questions=2, per_day=None)
    for subcommand in ("answers", "answer"):
        for args in ("9" * 5000, "²", "٣", "4²", "chapter ²"):
            await bot.slash(f"{subcommand} {args}", user=ADA, channel=CHANNEL)
            reply = text_of(await bot.reply())
            assert reply.startswith(f"Usage: `/study {subcommand} [chapter]`"), (subcommand, args[:10], reply)
            assert len(reply) < 200  # the input is not echoed
    assert emulator.posted(ADA) == [] and emulator.calls_to("views.open") == []


async def test_the_button_opens_a_private_modal_whose_answers_count_but_are_not_posted(bot, emulator, members):
    await make_cohort(bot, questions=3, per_day=None)
    await tick_questionnaire(bot, WEEK1)
    prompts = await prompts_of(bot)
    await bot.click("questionnaire_answer_privately", f"{prompts[2].cohort_id}:1:2", user=ADA, channel=CHANNEL,
                    message_ts=prompts[2].ts)
    await bot.settle()
    view = emulator.calls_to("views.open")[0].args["view"]
    inputs = [b for b in view["blocks"] if b["type"] == "input"]
    assert [b["block_id"] for b in inputs] == ["q1", "q2", "q3"]
    assert inputs[1]["element"].get("focus_on_load") is True
    posts_before = len(emulator.posted())
    await bot.submit(view, {"q1": {"answer": {"type": "plain_text_input", "value": "private one"}},
                            "q2": {"answer": {"type": "plain_text_input", "value": None}},
                            "q3": {"answer": {"type": "plain_text_input", "value": "  private three  "}},
                            "q9": {"answer": {"type": "plain_text_input", "value": "forged: no question 9"}}},
                     user=ADA)
    await bot.settle()
    assert len(emulator.posted()) == posts_before
    async with bot.db.session() as session:
        rows = list(await session.scalars(select(Answer).order_by(Answer.position)))
    assert [(a.position, a.text, a.private) for a in rows] == [(1, "private one", True), (3, "private three", True)]
    await tick_questionnaire(bot, WEEK1 + timedelta(minutes=1))
    updated = {c.args["ts"]: text_of(c.args) for c in emulator.calls_to("chat.update")}
    assert "1 member answered" in updated[prompts[1].ts] and prompts[2].ts not in updated
    await bot.slash("progress", user=ADA, channel=CHANNEL)
    assert "2 of 3 answered" in text_of(await bot.reply())

    await bot.slash("answer", user=ADA, channel=CHANNEL)  # reopened: what was saved is there to edit
    await bot.settle()
    again = emulator.calls_to("views.open")[1].args["view"]
    boxes = {b["block_id"]: b["element"].get("initial_value") for b in again["blocks"] if b["type"] == "input"}
    assert boxes == {"q1": "private one", "q2": None, "q3": "private three"}
    assert json.loads(again["private_metadata"])["chapter"] == 1
    await bot.submit(again, {"q1": {"answer": {"value": ""}}, "q2": {"answer": {"value": None}},
                             "q3": {"answer": {"value": "private three"}}}, user=ADA)
    await bot.settle()
    async with bot.db.session() as session:
        rows = list(await session.scalars(select(Answer).order_by(Answer.position)))
    # emptied: removed, and its text cleared like a reply deleted in Slack (issue 15)
    assert [(a.position, a.deleted, a.text) for a in rows] == [(1, True, ""), (3, False, "private three")]


async def test_answer_command_refuses_chapters_not_out_yet(bot, emulator):
    await make_cohort(bot, questions=2, per_day=None)
    bot.clock.set(WEEK1 + timedelta(hours=1))
    await bot.slash("answer 5", user=ADA, channel=CHANNEL)
    assert text_of(await bot.reply()) == "Chapter 5's questions aren't out yet — they come in week 5."
    await bot.slash("answer 99", user=ADA, channel=CHANNEL)
    assert "no chapter 99" in text_of(await bot.reply())
    assert emulator.calls_to("views.open") == []
