"""`studybot answers export|stats`: a member's answers, and per-chapter questionnaire numbers."""
from __future__ import annotations

import json
import sys

import click

from bot.blocks import counted
from bot.cohorts.store import pick_cohort
from bot.errors import StudyError
from bot.main.cli.common import CliError, echo_json, run
from bot.questionnaire.record import (
    ChapterStats,
    MemberAnswer,
    answers_markdown,
    chapter_numbers,
    chapter_stats,
    chapter_titles,
    cohort_answers,
    member_answers,
    question_texts,
)
from bot.runtime import Runtime
from bot.slack_ids import parse_user_ids


@click.group("answers")
def answers_group() -> None:
    """Members' questionnaire answers: export them, or see how the cohort is doing."""


@answers_group.command("export")
@click.option("--user", "user_id", metavar="U…", help="The member's Slack id, e.g. U012ABCDEF.")
@click.option("--all", "everyone", is_flag=True, help="Every member's answers (with --json; streamed).")
@click.option("--chapter", type=int, metavar="N", help="Only this chapter.")
@click.option("--cohort", "cohort_name", metavar="NAME", help="The cohort (default: the only active one).")
@click.option("--json", "as_json", is_flag=True, help='Print {"answers": [{"chapter", "question", "text"}]}.')
def export_command(user_id: str | None, everyone: bool, chapter: int | None, cohort_name: str | None,
                   as_json: bool) -> None:
    """Print a member's answers: Markdown (question, then answer), or JSON with --json.

    Several replies to one question are joined, in order, into one text; deleted
    replies are left out. JSON texts are exactly as Slack delivered them.
    --all --json prints every member's answers, one a line, each with its "user".
    """
    if everyone:
        if user_id is not None or chapter is not None or not as_json:
            raise CliError("--all exports every member's answers as JSON: "
                           "use --all --json, without --user or --chapter")
        run(lambda runtime: _export_all(runtime, cohort_name))
        return
    if user_id is None:
        raise CliError("give --user U012ABCDEF (one member's answers) or --all --json (everyone's)")
    try:
        users = parse_user_ids(user_id)
    except StudyError as error:
        raise StudyError(f"--user: {error}") from None
    if len(users) != 1:
        raise CliError("--user takes one member id, e.g. --user U012ABCDEF")
    user_id = users[0]

    async def work(runtime: Runtime) -> tuple[str | None, list[MemberAnswer]]:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, None, cohort_name)
            if chapter is not None and chapter not in await chapter_numbers(session, cohort.id):
                raise StudyError(f"no chapter {chapter} in cohort {cohort.name}")
            answers = await member_answers(session, cohort.id, user_id, chapter)
            if as_json:
                return None, answers
            questions = await question_texts(session, cohort.id, chapter)
            titles = await chapter_titles(session, cohort.id)
            return answers_markdown(cohort.name, answers, questions, titles), answers

    markdown, answers = run(work)
    if as_json:
        echo_json({"answers": [{"chapter": a.chapter, "question": a.question, "text": a.text} for a in answers]})
    elif answers:
        click.echo(markdown, nl=False)
    else:
        click.echo(f"No answers from {user_id}" + (f" to chapter {chapter}." if chapter is not None else "."))


async def _export_all(runtime: Runtime, cohort_name: str | None) -> None:
    """`{"cohort": …, "answers": [` then one answer a line: written as the rows arrive, never all held."""
    out = sys.stdout
    async with runtime.db.session() as session:
        cohort = await pick_cohort(session, None, cohort_name)
        out.write(f'{{"cohort": {json.dumps(cohort.name, ensure_ascii=False)}, "answers": [')
        separator = "\n"
        async for user, answer in cohort_answers(session, cohort.id):
            out.write(separator + json.dumps({"user": user, "chapter": answer.chapter, "question": answer.question,
                                              "text": answer.text}, ensure_ascii=False))
            separator = ",\n"
    out.write("\n]}\n")


@answers_group.command("stats")
@click.option("--cohort", "cohort_name", metavar="NAME", help="The cohort (default: the only active one).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
def stats_command(cohort_name: str | None, as_json: bool) -> None:
    """Per chapter: prompts posted, members who answered at least one question, answers per question."""

    async def work(runtime: Runtime) -> tuple[str, list[ChapterStats]]:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, None, cohort_name)
            return cohort.name, await chapter_stats(session, cohort.id)

    name, stats = run(work)
    if as_json:
        echo_json({"cohort": name, "chapters": [
            {"chapter": s.chapter, "prompts_posted": s.prompts_posted, "members_answered": s.members_answered,
             "answers_per_question": [{"question": q, "members": n} for q, n in s.answers_per_question.items()]}
            for s in stats
        ]})
        return
    if not stats:
        click.echo(f"{name}: no prompts posted and no answers yet.")
        return
    for s in stats:
        per_question = " ".join(f"Q{q}:{n}" for q, n in s.answers_per_question.items()) or "-"
        click.echo(f"chapter {s.chapter:>2}: {counted(s.prompts_posted, 'prompt')} posted, "
                   f"{counted(s.members_answered, 'member')} answered; per question {per_question}")


def register(cli: click.Group) -> None:
    cli.add_command(answers_group)
