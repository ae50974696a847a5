"""`studybot cohort …` as an operator types it: one line per error, nothing stored on bad input."""
from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import func, select

from bot.main.cli import cli
from bot.models import Chapter, Cohort
from tests.emulator.state import TEAM_ID
from tests.harness import BOT_TOKEN

CREATE = ["cohort", "create", "fastbook-2026", "--channel", "C0123ABCDEF", "--start", "2026-03-03 18:00",
          "--timezone", "America/New_York", "--team", "T0123ABCDEF", "--allow-past"]


def studybot(database_url: str, *args: str, **env: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "", **env})


async def in_thread(database_url: str, *args: str, **env: str) -> Result:
    """For tests that also run the emulator on this event loop (the CLI runs its own loop)."""
    return await asyncio.to_thread(studybot, database_url, *args, **env)


async def count_cohorts(database_url: str) -> int:
    from bot.database import Database

    db = Database(database_url)
    try:
        async with db.session() as session:
            return await session.scalar(select(func.count()).select_from(Cohort))
    finally:
        await db.dispose()


def test_create_then_list_as_text_and_json(database_url):
    created = studybot(database_url, *CREATE, "--session", "thu 12:00", "--organizers", "U0ORGANIZE1,<@U0ORGANIZE2>",
                       "--share-channel", "C0SHARE0001", "--weeks", "12")
    assert created.exit_code == 0, created.stdout
    assert created.stdout == ("created cohort fastbook-2026 in C0123ABCDEF: 12 weeks, week 1 opens 2026-03-03 18:00 "
                              "America/New_York (2026-03-03 23:00 UTC), live session Thu 12:00\n")
    listed = studybot(database_url, "cohort", "list", "--json")
    [row] = json.loads(listed.stdout)
    assert row | {"current_week": None, "next_week": None, "next_opens_at": None} == {
        "name": "fastbook-2026", "team_id": "T0123ABCDEF", "channel_id": "C0123ABCDEF", "timezone": "America/New_York",
        "start": "2026-03-03 18:00", "weeks": 12, "session": "Thu 12:00", "breaks": [],
        "organizers": ["U0ORGANIZE1", "U0ORGANIZE2"], "share_channel_id": "C0SHARE0001",
        "questionnaire_channel_id": None, "current_week": None, "next_week": None, "next_opens_at": None,
    }
    text = studybot(database_url, "cohort", "list")
    assert text.stdout.startswith("fastbook-2026  T0123ABCDEF  C0123ABCDEF  America/New_York  start 2026-03-03 18:00")


@pytest.mark.parametrize("change, expected", [
    (["--timezone", "America/New York City"],
     'studybot: I don\'t recognise "America/New York City" as a place or a time zone. Did you mean America/New_York'),
    (["--timezone", "EST5"], 'studybot: I don\'t recognise "EST5" as a place or a time zone.'),
    (["--timezone", "UTC+5"], 'studybot: "UTC+5" is a fixed offset (UTC+05:00), which never follows daylight saving'),
    (["--timezone", "IST"], 'studybot: "IST" could mean Asia/Kolkata, Asia/Jerusalem or Europe/Dublin.'),
    (["--start", "03/03/2026 18:00"], 'studybot: Expected a local date and time like "2026-03-03 18:00".'),
    (["--start", "2026-02-30 18:00"], 'studybot: "2026-02-30 18:00" is not a real date and time.'),
    (["--session", "someday 18:00"], 'studybot: Expected a weekday and a time like "tue 18:00".'),
    (["--channel", "#fastbook"], "studybot: Expected a channel ID like C0123ABCDEF"),
    (["--share-channel", "share"], "studybot: Expected a channel ID like C0123ABCDEF"),
    (["--organizers", "ada,grace"], 'studybot: "ada" is not a user ID or an @name.'),
    (["--organizers", "@ada"], "studybot: looking up @ada needs SLACK_BOT_TOKEN; or give user IDs."),
    (["--weeks", "0"], "studybot: --weeks is a number of weeks from 1 to 60."),
    (["--team", "acme"], 'studybot: "acme" is not a workspace id; expected one like T0123ABCDEF.'),
])
async def test_bad_input_is_one_line_saying_what_is_expected_and_stores_nothing(database_url, change, expected):
    args = list(CREATE)
    flag = change[0]
    if flag in args:
        args[args.index(flag) + 1] = change[1]
    else:
        args += change
    result = await in_thread(database_url, *args)
    lines = result.stderr.strip().splitlines()
    assert result.exit_code == 1 and len(lines) == 1 and lines[0].startswith(expected), result.stderr
    assert await count_cohorts(database_url) == 0


async def test_without_team_or_token_it_says_how_to_name_the_workspace(database_url):
    args = [a for a in CREATE if a not in ("--team", "T0123ABCDEF")]
    result = await in_thread(database_url, *args)
    assert result.exit_code == 1
    assert result.stderr == ("studybot: which Slack workspace? Pass --team T0123ABCDEF, or set SLACK_BOT_TOKEN so "
                             "studybot can ask Slack (auth.test).\n")


async def test_the_workspace_is_learned_from_slack_with_the_bot_token(database_url, emulator):
    emulator.workspace.add_channel("C0123ABCDEF", "fastbook-2026")
    args = [a for a in CREATE if a not in ("--team", "T0123ABCDEF")]
    result = await in_thread(database_url, *args, SLACK_BOT_TOKEN=BOT_TOKEN, SLACK_API_URL=emulator.url)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert [c.method for c in emulator.calls] == ["auth.test", "conversations.info"]
    listed = json.loads((await in_thread(database_url, "cohort", "list", "--json")).stdout)
    assert [row["team_id"] for row in listed] == [TEAM_ID]


async def test_a_duplicate_name_is_refused(database_url):
    assert (await in_thread(database_url, *CREATE)).exit_code == 0
    again = await in_thread(database_url, *CREATE)
    assert again.exit_code == 1 and again.stderr == 'studybot: A cohort named "fastbook-2026" already exists.\n'


async def test_set_pause_and_skip_from_the_command_line(database_url):
    assert (await in_thread(database_url, *CREATE, "--start", "2030-01-08 18:00", "--yes")).exit_code == 0
    changed = await in_thread(database_url, "cohort", "set", "fastbook-2026", "--session", "tue 19:00", "--weeks", "22")
    assert changed.stdout == "fastbook-2026: changed weeks, session\n"
    bad = await in_thread(database_url, "cohort", "set", "fastbook-2026", "--session", "19:00")
    assert bad.exit_code == 1 and bad.stderr.startswith("studybot: Expected a weekday and a time")
    paused = await in_thread(database_url, "cohort", "pause", "fastbook-2026", "--week", "3")
    assert paused.stdout == "fastbook-2026: paused for one week; week 3 now opens 2030-01-29 23:00 UTC\n"
    skipped = await in_thread(database_url, "cohort", "skip", "fastbook-2026", "--week", "4")
    assert skipped.stdout == "week 4's announcement of fastbook-2026 will not be posted\n"
    out_of_range = await in_thread(database_url, "cohort", "skip", "fastbook-2026", "--week", "23")
    assert out_of_range.stderr == "studybot: --week is a number of weeks from 1 to 22\n".replace("number of weeks",
                                                                                                "week number")
    unknown = await in_thread(database_url, "cohort", "pause", "nope", "--week", "3")
    assert unknown.stderr == 'studybot: No cohort named "nope". See: studybot cohort list\n'
    listed = json.loads((await in_thread(database_url, "cohort", "list", "--json")).stdout)
    assert (listed[0]["session"], listed[0]["weeks"], listed[0]["breaks"]) == ("Tue 19:00", 22, [3])
    from bot.database import Database

    db = Database(database_url)
    async with db.session() as session:
        chapters = list(await session.scalars(select(Chapter.number).order_by(Chapter.number)))
    await db.dispose()
    assert chapters == list(range(1, 21))  # the book has 20 chapters; weeks 21–22 have none


async def test_rerun_posts_the_announcement_again_through_slack(database_url, emulator):
    emulator.workspace.add_channel("CRERUN0001", "rerun", members={"U1"})
    args = ["cohort", "create", "old", "--channel", "CRERUN0001", "--start", "2020-01-07 18:00",
            "--timezone", "Europe/London", "--team", TEAM_ID, "--allow-past"]
    assert (await in_thread(database_url, *args)).exit_code == 0
    no_token = await in_thread(database_url, "cohort", "rerun", "old", "--week", "2")
    assert no_token.stderr == "studybot: posting needs SLACK_BOT_TOKEN (see .env.example)\n"
    slack = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": emulator.url}
    rerun = await in_thread(database_url, "cohort", "rerun", "old", "--week", "2", **slack)
    assert rerun.exit_code == 0, rerun.stderr
    [post] = emulator.posted("CRERUN0001")
    assert rerun.stdout == f"re-posted week 2's announcement in CRERUN0001 ({post.response['ts']})\n"
    assert rerun.stderr == "posting the announcement: 0/1 (0%)\nposting the announcement: 1/1 (100%)\n"
    assert post.args["text"].startswith("Week 2 is open: Chapter 2 — From Model to Production.")


def test_create_help_says_where_the_questions_come_from():
    shown = " ".join(CliRunner().invoke(cli, ["cohort", "create", "--help"]).output.split())
    assert "built-in fastbook syllabus." not in shown
    assert "chapter titles and links" in shown and "studybot syllabus import" in shown
