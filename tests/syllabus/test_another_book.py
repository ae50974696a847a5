"""A three-week cohort on another book (examples/think-python.yaml) through the emulator, end to end.

Announcements, question prompts, a member's answers, a re-import mid-cohort (an answered question edited, an
answered one removed, a future one edited, one added), Home and the organizers' weekly report: everything the
bot posts reads the cohort's syllabus, and not a word of fastai appears anywhere.
"""
from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from bot.main.cli import cli
from bot.models import Chapter, Question
from bot.models.questionnaire import Answer
from bot.syllabus.file import find_syllabus
from tests.harness import text_of
from tests.home.helpers import open_home

EXAMPLE = Path(__file__).parents[2] / "examples" / "think-python.yaml"
CHANNEL, ADA, ORGANIZER = "C0THINKPY1", "U0ADA00001", "UADMIN"
WEEK1 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
CH1_Q1 = "What is the difference between a **value** and a **type**? Give an example of each."
CH1_Q3 = ("Why do programmers make mistakes on purpose while learning a new feature? "
          "Try one and describe the error message you got.")
CH2_Q1 = "What is the difference between an *expression* and a *statement*?"
EDITED_CH1_Q1 = "What is a **value**, and what is its **type**? Give two examples of each."
EDITED_CH2_Q1 = "How is an *expression* different from a *statement*? Give one of each."
ADDED_CH3 = "What does `return` do that `print` doesn't?"


def edited_example(tmp_path: Path) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in ((CH1_Q1, EDITED_CH1_Q1), (CH2_Q1, EDITED_CH2_Q1)):
        assert f'"{old}"' in text
        text = text.replace(f'"{old}"', f'"{new}"')
    removed = f'      - "{CH1_Q3}"\n'
    assert removed in text
    text = text.replace(removed, "")
    anchor = '      - "Read a *stack diagram* from the chapter aloud: what does each frame show?"\n'
    text = text.replace(anchor, anchor + f'      - "{ADDED_CH3}"\n')
    path = tmp_path / "think-python.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def studybot(database_url: str, *args: str | Path):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, [str(a) for a in args], env={"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": ""})


def prompts(emulator, chapter: int) -> dict[int, dict]:  # type: ignore[no-untyped-def]
    """Position -> the posted prompt's args, for chapter `chapter`; asserts none was posted twice."""
    found: dict[int, dict] = {}
    for call in emulator.posted(CHANNEL):
        key = str(((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", ""))
        parts = key.split(":")
        if key.startswith("prompt:") and int(parts[2]) == chapter and (call.response or {}).get("ok"):
            assert int(parts[3]) not in found, f"{key} posted twice"
            found[int(parts[3])] = {**call.args, "ts": call.response["ts"]}
    return found


async def reply(bot, emulator, thread_ts: str, text: str) -> None:  # type: ignore[no-untyped-def]
    message = emulator.workspace.post(CHANNEL, text, user=ADA, thread_ts=thread_ts)
    event = {"type": "message", "channel": CHANNEL, "user": ADA, "text": text, "ts": message.ts,
             "thread_ts": thread_ts, "event_ts": message.ts, "channel_type": "channel"}
    assert (await bot.event(event, event_id=f"Ev{message.ts.replace('.', '')}")).status == 200
    await bot.settle()


async def tick_until(bot, end: datetime) -> None:  # type: ignore[no-untyped-def]
    while bot.clock.now() < end:
        await bot.tick(min(bot.clock.now() + timedelta(hours=3), end))


def everything_posted(emulator) -> str:  # type: ignore[no-untyped-def]
    methods = ("chat.postMessage", "chat.update", "chat.postEphemeral", "views.publish", "views.open",
               "chat.scheduleMessage", "files.completeUploadExternal")
    return "\n".join(json.dumps(call.args, ensure_ascii=False) for m in methods for call in emulator.calls_to(m))


async def test_three_weeks_of_think_python_with_a_re_import_mid_cohort(bot, emulator, database_url, tmp_path):
    emulator.workspace.add_user(ADA, "ada", tz="Europe/London", tz_offset=0)
    emulator.workspace.add_channel(CHANNEL, "think-python-2026", members={ADA, ORGANIZER})
    bot.clock.set(WEEK1 - timedelta(days=1))
    cohort = await bot.create_cohort("think-python-2026", channel_id=CHANNEL, syllabus=find_syllabus(str(EXAMPLE)),
                                     weeks=3, session_time="Thu 18:00", organizers=[ORGANIZER])

    await tick_until(bot, WEEK1 + timedelta(days=3, hours=2))
    week1 = prompts(emulator, 1)
    assert sorted(week1) == [1, 2, 3] and "*value*" in text_of(week1[1])
    await reply(bot, emulator, week1[1]["ts"], "A value is 42; its type is int.")
    await reply(bot, emulator, week1[3]["ts"], "I left out a parenthesis: SyntaxError.")

    imported = await asyncio.to_thread(studybot, database_url, "syllabus", "import", edited_example(tmp_path),
                                       "--cohort", "think-python-2026")
    assert imported.exit_code == 0, imported.output
    assert "chapter  1 Programming as a way of thinking: 2 questions (1 changed, 1 retired)" in imported.stdout
    assert "chapter  2 Variables and Statements: 3 questions (1 changed)" in imported.stdout
    assert "chapter  3 Functions: 4 questions (1 new)" in imported.stdout

    await tick_until(bot, WEEK1 + timedelta(days=15))
    home = text_of(await open_home(bot, ADA))  # week 3
    assert "*This week: Chapter 3 · Functions*" in home
    assert ":books: Reading <https://allendowney.github.io/ThinkPython/|Think Python, 3rd edition>" in home
    assert "<https://allendowney.github.io/ThinkPython/chap03.html|Read the chapter>" in home
    await tick_until(bot, WEEK1 + timedelta(days=21, hours=1))
    assert sorted(prompts(emulator, 1)) == [1, 2, 3]  # nothing re-posted: the edit and the removal change no post
    assert EDITED_CH2_Q1.replace("*", "_") in text_of(prompts(emulator, 2)[1])  # a future week has the edit
    week3 = prompts(emulator, 3)
    assert sorted(week3) == [1, 2, 3, 4] and "`return`" in text_of(week3[4])  # and the added question

    async with bot.db.session() as session:
        answers = {(a.chapter, a.position) for a in await session.scalars(select(Answer))}
        questions = {(q.chapter, q.position): q for q in await session.scalars(
            select(Question).where(Question.cohort_id == cohort.id))}
        chapters = list(await session.scalars(select(Chapter).where(Chapter.cohort_id == cohort.id)))
    assert answers == {(1, 1), (1, 3)}  # both answers kept
    assert questions[(1, 1)].text.startswith("What is a *value*") and questions[(1, 3)].retired
    assert [c.title for c in sorted(chapters, key=lambda c: c.number)] == [
        "Programming as a way of thinking", "Variables and Statements", "Functions"]

    exported = await asyncio.to_thread(studybot, database_url, "answers", "export", "--user", ADA,
                                       "--cohort", "think-python-2026")
    assert exported.exit_code == 0, exported.output
    assert "## Chapter 1: Programming as a way of thinking" in exported.stdout
    assert "### Q1. What is a *value*, and what is its *type*?" in exported.stdout
    assert "(removed from the questionnaire)" in exported.stdout and "SyntaxError" in exported.stdout

    announcements = [call.args for call in emulator.posted(CHANNEL)
                     if str(((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", ""))
                     .startswith("announce")]
    assert [a["blocks"][0]["text"]["text"] for a in announcements] == [
        "Week 1 of 3 · Chapter 1 — Programming as a way of thinking",
        "Week 2 of 3 · Chapter 2 — Variables and Statements",
        "Week 3 of 3 · Chapter 3 — Functions",
    ]
    first = text_of(announcements[0])
    for expected in ("<https://allendowney.github.io/ThinkPython/chap01.html|Read the chapter>",
                     "*What to do this week* (reading: about 1 hour)", "1. *Read* the chapter online",
                     "2. *Type in the examples*", "3. *Answer the questionnaire*: 3 questions"):
        assert expected in first

    reports = [call for call in emulator.calls_to("chat.postMessage") if call.args.get("channel") == ORGANIZER
               and "report" in json.dumps(call.args).lower()]
    assert reports, "the organizers' weekly report was posted"

    posted = everything_posted(emulator).lower()
    assert "fastai" not in posted and "fastbook" not in posted and "colab" not in posted
