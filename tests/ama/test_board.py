"""The board stays within Slack's Block Kit limits, with 300 long questions full of characters to escape."""
from __future__ import annotations

import random

from bot.ama.asking import text_key
from bot.ama.channel_board import board_for
from bot.ama.views import BOARD_BUTTONS, QuestionCard, render_board, render_question
from bot.blocks import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT
from bot.models import Cohort
from bot.models.ama import AmaQuestion, AmaVote
from tests.ama.conftest import CHANNEL, ORGANIZER, SESSION, member
from tests.harness import text_of

NASTY = "<!channel> & <@U0M0000009> *bold* ~strike~ "


def long_question(n: int) -> str:
    return (f"{n}: {NASTY}" * 40)[:1000]


def check_limits(message: dict) -> None:  # type: ignore[type-arg]
    assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS
    for block in message["blocks"]:
        texts = [block.get("text", {}).get("text", "")] + [e.get("text", "") for e in block.get("elements", [])
                                                             if isinstance(e.get("text"), str)]
        assert all(len(text) <= MAX_SECTION_TEXT for text in texts)
    assert "<!channel>" not in text_of(message) and "<@U0M0000009>" not in text_of(message)


def test_three_hundred_questions_fit_with_a_more_line() -> None:
    cards = [QuestionCard(n, long_question(n), None, "open", n % 50 == 0, 300 - n, n % 3) for n in range(300)]
    board = render_board(cards, {1, 2, 200}, 1, SESSION, "/study")
    check_limits(board)
    text = text_of(board)
    more = next(line for line in text.splitlines() if line.startswith("+"))
    shown = text.count(" ▲  ")
    assert shown >= BOARD_BUTTONS and int(more.split()[0][1:]) == 300 - shown
    for card in cards[:3]:
        check_limits(render_question(card))


async def test_the_board_and_the_export_of_300_questions_through_slack(bot, emulator, cohort):
    async with bot.db.session() as session:
        board = await board_for(session, await session.get(Cohort, cohort.id), bot.clock.now())
        for n in range(300):
            question = AmaQuestion(team_id=bot.team_id, board_id=board.id, user_id=member(n % 100),
                                   text=long_question(n), text_key=text_key(long_question(n)), anonymous=n % 2 == 0,
                                   state="open", created_at=bot.clock.now(), ts=f"1.{n:06d}")
            session.add(question)
            await session.flush()
            for voter in random.Random(n).sample(range(100), n % 7):
                session.add(AmaVote(team_id=bot.team_id, question_id=question.id, user_id=member(voter),
                                    changed_at=bot.clock.now()))
    await bot.slash("ama", user=member(1), channel=CHANNEL)
    await bot.slash("admin ama export", user=ORGANIZER, channel=CHANNEL)
    await bot.settle()
    await emulator.wait_for(lambda e: len(e.responses) >= 2)
    board_reply = next(r for r in emulator.responses if "live session" in r["text"])
    export_reply = next(r for r in emulator.responses if "(CSV)" in r["text"])
    for reply in (board_reply, export_reply):
        check_limits(reply)
    assert "+" in text_of(board_reply) and "more" in text_of(board_reply)
    assert board_reply["blocks"][2]["text"]["text"].startswith("*6* ▲")  # the most votes first
    assert "Cut to fit Slack" in text_of(export_reply)


def test_every_state_renders_a_valid_menu() -> None:
    for state in ("open", "answered", "hidden", "review"):
        for pinned in (False, True):
            message = render_question(QuestionCard(7, "Why?", None, state, pinned, 3, 1))
            check_limits(message)
            (menu,) = [e for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]
                       if e["type"] == "overflow"]
            assert 2 <= len(menu["options"]) <= 5
