"""`studybot syllabus import|show`: questionnaires from the operator's own fastbook notebooks."""
from __future__ import annotations

from typing import Any

import click

from bot.blocks import counted
from bot.cohorts.store import pick_cohort
from bot.main.cli.common import CliError, echo_json, run
from bot.main.cli.progress import Report, Summary, report_options
from bot.questionnaire.record import slack_to_markdown
from bot.runtime import Runtime
from bot.syllabus.store import ChapterImport, questionnaire, store_questionnaires


@click.group("syllabus")
def syllabus_group() -> None:
    """The chapters and their questionnaires."""


@syllabus_group.command("import")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--cohort", "cohort_name", metavar="NAME", help="Which cohort (default: the only one).")
@click.option("--team", metavar="T…", help="The cohort's workspace, when names repeat across workspaces.")
@report_options
def import_command(sources: tuple[str, ...], cohort_name: str | None, team: str | None, quiet: bool,
                   as_json: bool) -> None:
    """Read the questionnaires of a fastbook checkout, a folder of notebooks, or .ipynb files.

    Re-importing replaces those chapters' questions and keeps every answer: a changed question keeps its
    position (and answers) with the new text; a question that disappeared is retired, not deleted.
    """
    from bot.syllabus.importer import import_questionnaires  # nbformat and jsonschema: not for every `studybot` run

    result = import_questionnaires(list(sources))
    if not result.chapters:
        for problem in result.problems:
            click.echo(f"studybot: {problem}", err=True)
        raise CliError("nothing was imported (no questionnaire found in the sources given)")
    report = Report("syllabus import", "storing chapters", quiet=quiet, as_json=as_json)

    async def work(runtime: Runtime) -> tuple[str, list[ChapterImport]]:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team, cohort_name)
            return cohort.name, await store_questionnaires(session, cohort, result.chapters, runtime.clock.now(),
                                                           progress=report.step)

    name, imported = run(work)
    total = sum(chapter.count for chapter in imported)
    report.finish(Summary(
        [*map(_chapter_line, imported),
         f"imported {counted(total, 'question')} from {counted(len(imported), 'chapter')} into cohort {name}"],
        result.problems, [], {"cohort": name, "questions": total, "chapters": [c.chapter for c in imported]}))


def _chapter_line(chapter: ChapterImport) -> str:
    title = f" {chapter.title}" if chapter.title else " (not in this cohort's weeks)"
    notes = [f"{n} {what}" for n, what in ((chapter.added, "new"), (chapter.changed, "changed"),
                                            (chapter.retired, "retired")) if n]
    detail = f" ({', '.join(notes)})" if notes else " (unchanged)"
    return f"chapter {chapter.chapter:2d}{title}: {counted(chapter.count, 'question')}{detail}"


@syllabus_group.command("show")
@click.option("--cohort", "cohort_name", metavar="NAME", help="Which cohort (default: the only one).")
@click.option("--team", metavar="T…")
@click.option("--json", "as_json", is_flag=True, help='{"chapters": [{"number", "title", "questions"}]}')
def show_command(cohort_name: str | None, team: str | None, as_json: bool) -> None:
    """Print the cohort's chapters and their questions, in order."""

    async def work(runtime: Runtime) -> dict[str, Any]:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team, cohort_name)
            chapters = await questionnaire(session, cohort)
        # Questions are stored as Slack mrkdwn (`&gt;`, `<url|label>`); shown as written, in Markdown.
        return {"chapters": [{"number": chapter.number, "title": chapter.title,
                              "questions": [slack_to_markdown(question) for question in questions]}
                             for chapter, questions in chapters]}

    data = run(work)
    if as_json:
        echo_json(data)
        return
    for chapter in data["chapters"]:
        questions = counted(len(chapter["questions"]), "question")
        click.echo(f"Chapter {chapter['number']} — {chapter['title']} ({questions})")
        for position, question in enumerate(chapter["questions"], start=1):
            click.echo(f"  {position}. " + question.replace("\n", "\n     "))


def register(cli: click.Group) -> None:
    cli.add_command(syllabus_group)
