"""Running the session: moderation (organizers only), reports, the top 10 at the session's start,
the export in Slack — and an anonymous question never names its asker in any Slack call."""
from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select

from bot.ama import views
from bot.models.ama import AmaQuestion
from bot.organizers import REFUSAL
from tests.ama.conftest import (
    ASKER,
    CHANNEL,
    ORGANIZER,
    SESSION,
    ask,
    click_payload,
    mark_answered,
    member,
    menu,
    questions,
    thread_message,
    tick_ama,
    upvote,
)
from tests.harness import text_of

A, B, C, D = member(1), member(2), member(3), member(4)


def shown(bot, question) -> str:  # type: ignore[no-untyped-def]
    return text_of({"blocks": thread_message(bot, question).blocks})


async def state_of(bot, question_id: int) -> AmaQuestion:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return await session.scalar(select(AmaQuestion).where(AmaQuestion.id == question_id))


async def board_seen_by(bot, user: str) -> str:  # type: ignore[no-untyped-def]
    before = len(bot.emulator.responses)
    await bot.slash("ama", user=user, channel=CHANNEL)
    await bot.settle()
    await bot.emulator.wait_for(lambda e: len(e.responses) > before)
    return text_of(bot.emulator.responses[before])


async def test_organizers_answer_pin_and_hide_and_members_cannot(bot, emulator, cohort):
    await ask(bot, A, "What is the intuition behind the learning rate finder?")
    await ask(bot, B, "Would you still use ResNet-34 as the default today?")
    await ask(bot, C, "Buy my course at example.com")
    first, second, spam = await questions(bot)
    await upvote(bot, D, first.id)
    await bot.settle()

    await menu(bot, A, "pin", second.id)
    assert emulator.responses[-1]["text"] == REFUSAL
    assert not (await state_of(bot, second.id)).pinned

    await mark_answered(bot, ORGANIZER, first.id)
    await menu(bot, ORGANIZER, "pin", second.id)
    assert "~What is the intuition behind the learning rate finder?~" in shown(bot, first)
    assert "pinned" in shown(bot, second)
    board = await board_seen_by(bot, D)
    assert board.index("ResNet-34") < board.index("Buy my course") < board.index("~What is the intuition")

    await menu(bot, ORGANIZER, "hide", spam.id)
    modal = emulator.calls_to("views.open")[-1].args["view"]
    assert modal["callback_id"] == views.HIDE_CALLBACK
    reason = {views.REASON_BLOCK: {views.REASON_INPUT: {"value": "Advertising isn't a question."}}}
    reply = await bot.submit(modal, reason, user=ORGANIZER)
    assert reply.status == 200 and not reply.text
    assert (await state_of(bot, spam.id)).state == "hidden"
    assert "Buy my course" not in shown(bot, spam) and "hidden by an organizer" in shown(bot, spam)
    (notice,) = list(emulator.posted(C))
    assert "Advertising isn't a question." in text_of(notice.args) and "Buy my course" in text_of(notice.args)
    assert "Buy my course" not in await board_seen_by(bot, D)

    await menu(bot, B, "restore", spam.id)  # refused: B is no organizer
    assert emulator.responses[-1]["text"] == REFUSAL
    assert (await state_of(bot, spam.id)).state == "hidden"


async def test_three_reports_hide_until_an_organizer_looks(bot, emulator, cohort):
    await ask(bot, A, "Is this a rude question?")
    (question,) = await questions(bot)
    for reporter in (B, C, C):  # C reports twice: counted once
        await menu(bot, reporter, "report", question.id)
    assert (await state_of(bot, question.id)).state == "open"
    await menu(bot, D, "report", question.id)
    assert (await state_of(bot, question.id)).state == "review"
    assert "rude" not in shown(bot, question)
    (notice,) = emulator.posted(ORGANIZER)  # the organizers are asked to look, once
    assert "three reports" in notice.args["text"] and "rude" in text_of(notice.args)
    assert A not in json.dumps(notice.args)

    await menu(bot, ORGANIZER, "restore", question.id)
    restored = await state_of(bot, question.id)
    assert (restored.state, restored.reviewed) == ("open", True)
    await menu(bot, member(5), "report", question.id)  # an organizer looked: reports no longer hide it
    assert (await state_of(bot, question.id)).state == "open"
    assert len(emulator.posted(ORGANIZER)) == 1
    assert "rude" in shown(bot, question)


async def test_the_top_ten_at_the_sessions_start(bot, emulator, cohort):
    for n in range(12):
        await ask(bot, member(n), f"Question number {n} about {'abcdefghijkl'[n] * 12}")
    asked = await questions(bot)
    for voter in range(5):
        await upvote(bot, member(50 + voter), asked[11].id)
    await bot.settle()

    await tick_ama(bot, SESSION - timedelta(minutes=1))
    assert not [c for c in emulator.posted(CHANNEL) if "Top questions" in c.args["text"]]
    await tick_ama(bot, SESSION)
    await tick_ama(bot, SESSION + timedelta(minutes=2))
    (top,) = [c for c in emulator.posted(CHANNEL) if "Top questions" in c.args["text"]]
    lines = [line for line in text_of(top.args).splitlines() if line[:2].strip(".").isdigit()]
    assert len(lines) == 10 and "llllll" in lines[0] and "*5*" in lines[0]


async def test_the_top_ten_can_go_to_the_organizers(bot, emulator, cohort):
    await bot.slash("admin ama top-to organizers", user=ORGANIZER, channel=CHANNEL)
    await bot.settle()
    assert "DMed to the cohort's organizers" in emulator.responses[-1]["text"]
    await ask(bot, A, "What's next after the book?")
    await tick_ama(bot, SESSION)
    assert [c.args["channel"] for c in emulator.posted() if "Top questions" in c.args["text"]] == [ORGANIZER]


async def test_an_anonymous_question_names_nobody_anywhere(bot, emulator, cohort):
    await bot.slash("ask", user=ASKER, channel=CHANNEL)
    await bot.settle()
    modal = emulator.calls_to("views.open")[-1].args["view"]
    await bot.submit(modal, {
        views.QUESTION_BLOCK: {views.QUESTION_INPUT: {"value": "Is it normal to feel lost in chapter 4?"}},
        views.ANONYMOUS_BLOCK: {views.ANONYMOUS_INPUT: {"selected_options": [{"value": "anonymous"}]}},
    }, user=ASKER)
    await ask(bot, A, "Is it normal to feel lost in chapter 4??")  # offered the anonymous one as a duplicate
    await bot.interact(click_payload(bot, views.UPVOTE_INSTEAD_ACTION, user=A,
                                     value=emulator.responses[-1]["blocks"][1]["elements"][0]["value"]))
    (question, _) = await questions(bot)
    for voter in (B, C):
        await upvote(bot, voter, question.id)
    await bot.settle()
    await menu(bot, ORGANIZER, "pin", question.id)
    await board_seen_by(bot, D)
    await bot.slash("admin ama export", user=ORGANIZER, channel=CHANNEL)
    await bot.settle()
    await tick_ama(bot, SESSION)
    await mark_answered(bot, ORGANIZER, question.id)
    await tick_ama(bot, SESSION + timedelta(minutes=5))

    assert any("anonymous" in text_of(r) for r in emulator.responses)  # the Slack export says "anonymous"
    calls = [json.dumps({"method": c.method, "args": c.args}) for c in emulator.calls]
    answers = [json.dumps(r) for r in emulator.responses]
    assert {"views.open", "chat.postMessage", "chat.update"} <= {c.method for c in emulator.calls}
    assert [c for c in emulator.posted(CHANNEL) if "Top questions" in c.args["text"]] and len(answers) >= 6
    for said in calls + answers:
        assert ASKER not in said and "secretasker" not in said, said
    assert "asked anonymously" in shown(bot, question) and "also asked by 1" in shown(bot, question)


async def test_organizers_open_a_later_sessions_board(bot, emulator, cohort):
    await bot.slash("admin ama open 3", user=A, channel=CHANNEL)
    await bot.settle()
    assert emulator.responses[-1]["text"] == REFUSAL
    await bot.slash("admin ama open 3", user=ORGANIZER, channel=CHANNEL)
    await bot.settle()
    assert "week 3's board" in emulator.responses[-1]["text"]
    reply = await ask(bot, A, "What will the guest in week 3 talk about?")
    assert "week 3's live session" in text_of(reply)
    await bot.slash("admin ama open next", user=ORGANIZER, channel=CHANNEL)
    await bot.settle()
    reply = await ask(bot, B, "Is the session recorded?")
    assert "week 1's live session" in text_of(reply)
    parents = [c.args["text"] for c in emulator.posted(CHANNEL) if not c.args.get("thread_ts")]
    assert parents == ["Questions for the live session of week 3", "Questions for the live session of week 1"]
