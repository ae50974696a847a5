"""`studybot ama show|export`, run as an organizer would, against the test database."""
from __future__ import annotations

import asyncio
import csv
import io
import json

from click.testing import CliRunner

from bot.main.cli import cli
from tests.ama.conftest import ORGANIZER, ask, mark_answered, member, questions, upvote
from tests.harness import BOT_TOKEN


async def studybot(emulator, database_url: str, *args: str):  # type: ignore[no-untyped-def]
    """Run the CLI in a thread (it has its own event loop) while the emulator keeps serving on ours."""
    env = {"DATABASE_URL": database_url, "SLACK_API_URL": emulator.url, "SLACK_BOT_TOKEN": BOT_TOKEN,
           "SLACK_APP_TOKEN": "", "LOG_LEVEL": "WARNING"}
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args), env=env, catch_exceptions=False)


async def test_show_and_export(bot, emulator, cohort, database_url):
    await ask(bot, member(1), "Which GPU should I rent for chapter 5?")
    await ask(bot, member(2), 'Does "presizing" matter, with commas, too?')
    first, second = await questions(bot)
    await upvote(bot, member(3), second.id)
    await upvote(bot, member(4), second.id)
    await bot.settle()
    await mark_answered(bot, ORGANIZER, first.id)

    shown = await studybot(emulator, database_url, "ama", "show", "--session", "1")
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert "week 1" in lines[0]
    assert "2 votes" in lines[1] and "presizing" in lines[1]
    assert "[answered]" in lines[2]

    exported = await studybot(emulator, database_url, "ama", "export", "--session", "1", "--csv")
    rows = list(csv.DictReader(io.StringIO(exported.output)))
    assert [(r["question"], r["asker"], r["votes"], r["state"]) for r in rows] == [
        ('Does "presizing" matter, with commas, too?', member(2), "2", "open"),
        ("Which GPU should I rent for chapter 5?", member(1), "0", "answered"),
    ]
    assert rows[1]["answered_at"].startswith("2026-03-02T12:00")

    as_json = json.loads((await studybot(emulator, database_url, "ama", "export", "--session", "1", "--json")).output)
    assert as_json["week"] == 1 and len(as_json["questions"]) == 2


async def test_an_empty_board_is_one_friendly_line_and_success(bot, emulator, cohort, database_url):
    result = await studybot(emulator, database_url, "ama", "show", "--session", "7")
    assert result.exit_code == 0, result.output
    assert result.output.strip() == "Nobody has asked a question for week 7's live session of fastbook yet."
    shown = await studybot(emulator, database_url, "ama", "show", "--session", "7", "--json")
    assert shown.exit_code == 0 and json.loads(shown.output) == {"cohort": "fastbook", "week": 7, "questions": []}


async def test_a_week_outside_the_cohort_is_one_line(bot, emulator, cohort, database_url):
    result = await studybot(emulator, database_url, "ama", "show", "--session", "99")
    assert result.exit_code == 1
    assert result.output.strip() == "studybot: fastbook has weeks 1 to 20; there is no week 99."
