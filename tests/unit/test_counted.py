"""One way to say a count: "1 question", "2 questions", "1 person" — wherever counts are shown."""
from __future__ import annotations

from datetime import UTC, datetime

from bot.ama.views import QuestionCard, render_board
from bot.blocks import counted
from bot.main.cli.digest import digest_text
from bot.rhythm.views import CohortCounts, counts_line
from tests.harness import text_of


def test_counted_says_one_thing_or_many():
    assert counted(1, "question") == "1 question" and counted(2, "question") == "2 questions"
    assert counted(1, "person", "people") == "1 person" and counted(0, "person", "people") == "0 people"
    assert counted(1, "reply", "replies") == "1 reply" and counted(1200, "reply", "replies") == "1,200 replies"


def test_the_status_line_says_1_member_and_1_group():
    assert counts_line(CohortCounts(1, 1, 0, 1)) == "1 member · 1 group · 0 waiting · answers this week: 1"


def test_the_digest_on_the_cli_says_1_person_1_reaction_1_reply():
    post = {"rank": 1, "title": "My model", "author": "U1", "score": 3, "people": 1, "reactions": 1, "replies": 1,
            "permalink": None}
    text = digest_text({"cohort": "fastbook", "week": 2, "window": {"from": None, "to": "2026-03-10"},
                        "post_count": 1, "sharer_count": 1, "first_timers": [], "posts": [post]})
    assert "1 post from 1 person" in text and "(1 person, 1 reaction, 1 reply)" in text


def test_a_board_with_one_question_says_1_question():
    card = QuestionCard(id=1, text="Why?", asker="U1", state="open", pinned=False, votes=0, also_asked=0)
    shown = text_of(render_board([card], set(), 1, datetime(2026, 3, 5, 18, tzinfo=UTC), "/study"))
    assert "1 question ·" in shown
