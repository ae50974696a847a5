"""`studybot answers export|stats` as organizers run them."""
from __future__ import annotations

import asyncio
import json
from datetime import timedelta

from click.testing import CliRunner

from bot.main.cli import cli
from tests.questionnaire.conftest import (
    ADA,
    GRACE,
    WEEK1,
    make_cohort,
    prompts_of,
    tick_questionnaire,
)


async def studybot(database_url: str, *args: str):  # type: ignore[no-untyped-def]
    return await asyncio.to_thread(CliRunner().invoke, cli, list(args), env={"DATABASE_URL": database_url})


async def test_stats_per_chapter(bot, members, database_url):
    await make_cohort(bot, questions=4, per_day=2)
    await tick_questionnaire(bot, WEEK1)
    prompts = await prompts_of(bot)
    await members.reply(ADA, prompts[1].ts, "a")
    await members.reply(ADA, prompts[1].ts, "a, continued")
    await members.reply(GRACE, prompts[1].ts, "b")
    await members.reply(GRACE, prompts[2].ts, "c")
    result = await studybot(database_url, "answers", "stats", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"cohort": "fastbook", "chapters": [{
        "chapter": 1, "prompts_posted": 2, "members_answered": 2,
        "answers_per_question": [{"question": 1, "members": 2}, {"question": 2, "members": 1}],
    }]}
    await tick_questionnaire(bot, WEEK1 + timedelta(days=1))
    text = await studybot(database_url, "answers", "stats", "--cohort", "fastbook")
    assert text.output == "chapter  1: 4 prompts posted, 2 members answered; per question Q1:2 Q2:1\n"


async def test_export_as_markdown_and_for_one_chapter(bot, members, database_url):
    await make_cohort(bot, questions=2, per_day=None)
    await tick_questionnaire(bot, WEEK1)
    prompts = await prompts_of(bot)
    await members.reply(ADA, prompts[2].ts, "second first? <https://fast.ai|fast.ai>")
    result = await studybot(database_url, "answers", "export", "--user", ADA)
    assert result.exit_code == 0
    assert result.output == (
        "# My answers — fastbook\n\n## Chapter 1: Your Deep Learning Journey\n\n"
        "### Q2. Chapter 1 question 2: what does *this* mean?\n\nsecond first? [fast.ai](https://fast.ai)\n"
    )
    empty = await studybot(database_url, "answers", "export", "--user", GRACE, "--chapter", "1", "--json")
    assert json.loads(empty.output) == {"answers": []}
    none = await studybot(database_url, "answers", "export", "--user", GRACE)
    assert none.output == f"No answers from {GRACE}.\n"


async def test_cli_errors_are_one_line(bot, database_url):
    none_yet = await studybot(database_url, "answers", "stats")
    assert none_yet.exit_code == 1 and none_yet.output.startswith("studybot: No cohort yet.")
    await make_cohort(bot, questions=1)
    cases = {
        ("answers", "export", "--user", ADA, "--chapter", "99"): "studybot: no chapter 99 in cohort fastbook\n",
        ("answers", "export", "--user", "ada"): 'studybot: --user: "ada" is not a user ID.',
        ("answers", "stats", "--cohort", "nope"): 'studybot: No cohort named "nope".',
    }
    for args, expected in cases.items():
        result = await studybot(database_url, *args)
        assert result.exit_code == 1 and result.output.startswith(expected), result.output
        assert result.output.count("\n") == 1


async def test_export_all_streams_every_members_answers_as_json(bot, members, database_url):
    await make_cohort(bot, questions=2, per_day=None)
    await tick_questionnaire(bot, WEEK1)
    prompts = await prompts_of(bot)
    await members.reply(GRACE, prompts[1].ts, "g1")
    await members.reply(ADA, prompts[2].ts, "a2")
    await members.reply(ADA, prompts[1].ts, "a1")
    await members.reply(ADA, prompts[1].ts, "a1, continued")
    result = await studybot(database_url, "answers", "export", "--all", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == {"cohort": "fastbook", "answers": sorted([
        {"user": ADA, "chapter": 1, "question": 1, "text": "a1\n\na1, continued"},
        {"user": ADA, "chapter": 1, "question": 2, "text": "a2"},
        {"user": GRACE, "chapter": 1, "question": 1, "text": "g1"},
    ], key=lambda a: a["user"])}
    assert len(result.output.splitlines()) == 5  # one answer a line, between the opening and the closing
    refused = await studybot(database_url, "answers", "export", "--all")
    assert refused.exit_code != 0 and "--all --json" in refused.output
    neither = await studybot(database_url, "answers", "export")
    assert neither.exit_code != 0 and "--user" in neither.output
