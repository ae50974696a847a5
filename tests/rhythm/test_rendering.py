"""The announcement and reminder texts, alone (the emulator checks Block Kit limits in the other tests)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.blocks import MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT
from bot.rhythm.views import Announcement, render_announcement, render_reminder
from bot.syllabus.fastbook import default_syllabus
from bot.syllabus.file import find_syllabus
from tests.harness import text_of

SESSION = datetime(2026, 3, 12, 18, 0, tzinfo=UTC)
TOKEN = "<!date^1773338400^{date_short_pretty} at {time}|Thu 12 Mar 2026 18:00 UTC>"


def announcement(**fields):  # type: ignore[no-untyped-def]
    values = {"week": 4, "weeks": 20, "chapter": default_syllabus()[3], "session": SESSION,
              "closes_at": datetime(2026, 3, 31, 17, tzinfo=UTC), "questions_channel": "CQUESTIONS",
              "share_channel": "CSHARE0001", "question_count": 35, "steps": find_syllabus("fastbook").steps}
    return render_announcement(Announcement(**{**values, **fields}), "/study")


def test_the_announcement_says_what_to_do_with_links_and_the_session_in_each_members_zone():
    message = announcement()
    text = text_of(message)
    assert (message["blocks"][0]["text"]["text"]
            == "Week 4 of 20 · Chapter 4 — Under the Hood: Training a Digit Classifier")
    for expected in (
        "<https://github.com/fastai/fastbook/blob/master/04_mnist_basics.ipynb|Notebook>",
        "<https://github.com/fastai/fastbook/blob/master/clean/04_mnist_basics.ipynb|Clean notebook (code only)>",
        "<https://colab.research.google.com/github/fastai/fastbook/blob/master/04_mnist_basics.ipynb|Open in Colab>",
        "<https://course.fast.ai/Lessons/lesson3.html|Course lesson video>",
        "*Read* the chapter", "*Run the notebook*", "35 questions arrive in <#CQUESTIONS>",
        "*Share what you built* in <#CSHARE0001>", f"*Live session*: {TOKEN}",
    ):
        assert expected in text
    assert message["text"] == (f"Week 4 is open: Chapter 4 — Under the Hood: Training a Digit Classifier."
                               f" Live session {TOKEN}.")
    assert len(message["blocks"]) <= MAX_MESSAGE_BLOCKS
    assert all(len(b["text"]["text"]) <= MAX_SECTION_TEXT for b in message["blocks"] if b["type"] == "section")


def test_without_session_video_or_share_channel_nothing_dangles():
    chapter = default_syllabus()[2]  # Data Ethics has no course video
    text = text_of(announcement(chapter=chapter, session=None, share_channel=None, question_count=0))
    assert "Live session" not in text and "Course lesson" not in text and "<#None>" not in text
    assert "*Share what you built* here" in text and "the questions arrive" in text


def test_a_reminder_says_how_long_is_really_left():
    on_time = render_reminder(week=4, chapter=default_syllabus()[3], session=SESSION, now=SESSION - timedelta(hours=24),
                              command="/study")
    late = render_reminder(week=4, chapter=default_syllabus()[3], session=SESSION, now=SESSION - timedelta(minutes=40),
                           command="/study")
    assert on_time["text"] == (f"Live session on Chapter 4 — Under the Hood: Training a Digit Classifier"
                               f" in 24 hours: {TOKEN}.")
    assert "in 40 minutes" in late["text"]
