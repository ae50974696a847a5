"""Pure pieces of the questionnaire: release batches, Markdown conversion and splitting, rendering limits."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import example, given
from hypothesis import strategies as st

from bot.questionnaire.prompts import per_day_of, release_batches
from bot.questionnaire.record import (
    ChapterProgress,
    MemberAnswer,
    answers_markdown,
    slack_to_markdown,
)
from bot.questionnaire.views import (
    ModalQuestion,
    PromptView,
    read_answer_button,
    read_private_modal,
    render_private_modal,
    render_progress,
    render_prompt,
    split_markdown,
)
from tests.emulator import blockkit

OPENS = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
CLOSES = OPENS + timedelta(days=7)


def test_all_at_once_is_one_batch_at_week_open():
    batches = release_batches([1, 2, 3], OPENS, CLOSES, None, "Europe/London")
    assert [(b.index, b.due_at, b.positions) for b in batches] == [(0, OPENS, (1, 2, 3))]


def test_a_drip_of_n_per_day_keeps_the_books_order():
    batches = release_batches([1, 2, 4, 5, 6], OPENS, CLOSES, 2, "Europe/London")
    assert [b.positions for b in batches] == [(1, 2), (4, 5), (6,)]
    assert [b.due_at - OPENS for b in batches] == [timedelta(0), timedelta(days=1), timedelta(days=2)]


def test_the_default_zero_spreads_over_the_week_and_a_drip_never_runs_past_it():
    assert per_day_of(0) == 1 and per_day_of(None) is None and per_day_of(3) == 3
    batches = release_batches(list(range(1, 41)), OPENS, CLOSES, 0, "Europe/London")
    assert len(batches) == 7 and batches[-1].due_at < CLOSES
    assert sum(len(b.positions) for b in batches) == 40


def test_prompt_stays_within_block_kit_limits_even_for_a_huge_question():
    view = PromptView(1, 4, "Under the Hood", 7, 33, "why? " * 2000, 12)
    message = render_prompt(view)
    assert blockkit.message_problems(message) == []
    assert "Q7 of 33" in message["text"] and "12 members answered" in str(message["blocks"])


def test_a_modal_with_many_questions_falls_back_to_one_block_each():
    questions = [ModalQuestion(i, f"Question {i} " + "x" * 3000, None) for i in range(1, 61)]
    view = render_private_modal(1, 9, "Tabular", questions)
    assert blockkit.view_problems(view) == []
    assert sum(1 for b in view["blocks"] if b["type"] == "input") == 60
    roomy = render_private_modal(1, 9, "Tabular", questions[:40], focus=3)
    assert blockkit.view_problems(roomy) == [] and len(roomy["blocks"]) == 81


def test_what_the_views_render_they_read_back():
    """The modal's block ids and the button's value are written and read in one module."""
    modal = render_private_modal(7, 3, "Ethics", [ModalQuestion(1, "a?", None), ModalQuestion(12, "b?", "so far")])
    inputs = [block for block in modal["blocks"] if block["type"] == "input"]
    state = {block["block_id"]: {block["element"]["action_id"]: {"value": f"answer {i}"}}
             for i, block in enumerate(inputs)}
    state["q²"] = state["other"] = {"answer": {"value": "not ours"}}
    submitted = read_private_modal({"private_metadata": modal["private_metadata"], "state": {"values": state}})
    assert (submitted.cohort_id, submitted.chapter, submitted.texts) == (7, 3, {1: "answer 0", 12: "answer 1"})

    prompt = render_prompt(PromptView(7, 3, "Ethics", 12, 20, "why?", 0))
    button = next(block for block in prompt["blocks"] if block["type"] == "actions")["elements"][0]
    target = read_answer_button({"actions": [button]})
    assert (target.cohort_id, target.chapter, target.position) == (7, 3, 12)
    assert read_answer_button({"actions": [{"value": "forged"}]}) is None


def test_progress_for_twenty_chapters_fits():
    chapters = [ChapterProgress(n, "A long chapter title " * 3, n, 40) for n in range(1, 21)]
    message = render_progress("fastbook-2026", chapters, chapters[-1], None, None)
    assert blockkit.message_problems(message) == []
    assert "210 of 800 questions answered" in message["text"]


def test_slack_text_becomes_markdown():
    assert slack_to_markdown("a &lt;b&gt; &amp; <https://x.org/a?b=1&amp;c=2|docs> <https://y.org> <@U0ADA00001>") == (
        "a <b> & [docs](https://x.org/a?b=1&c=2) <https://y.org> @U0ADA00001"
    )


def test_the_markdown_notes_name_chapters_and_questions():
    answers = [MemberAnswer(1, 2, "yes"), MemberAnswer(3, 1, "")]
    notes = answers_markdown("fastbook", answers, {(1, 2): "Is it *so*?"}, {1: "Intro"})
    assert notes == (
        "# My answers — fastbook\n\n## Chapter 1: Intro\n\n### Q2. Is it *so*?\n\nyes\n\n"
        "## Chapter 3\n\n### Q1. (question text not available)\n\n_(an answer without text)_\n"
    )


@given(st.lists(st.sampled_from(["word", " ", "\n", "\n\n", "```", "x" * 50, "é"]), max_size=400),
       st.integers(min_value=40, max_value=300))
@example(["```", "x" * 50, "```", "word"], 58)  # a cut that used to fall inside a fence marker
def test_split_markdown_keeps_everything_within_the_limit(tokens, limit):
    text = "".join(tokens)
    pieces = split_markdown(text, limit)
    assert all(len(p) <= limit for p in pieces)
    squeezed = "".join("".join(pieces).replace("```", "").split())
    assert squeezed == "".join(text.replace("```", "").split())  # nothing lost but whitespace and fences
