"""`studybot syllabus import|new|show`: syllabus files, and questionnaires from the operator's own notebooks."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bot.blocks import counted
from bot.cohorts.store import pick_cohort
from bot.main.cli.common import CliError, echo_json, run
from bot.main.cli.progress import Report, Summary, report_options
from bot.questionnaire.record import slack_to_markdown
from bot.runtime import Runtime
from bot.syllabus.fastbook import BUILT_IN, DEFAULT, built_in_text
from bot.syllabus.file import SYLLABUS_SUFFIXES, Syllabus, read_syllabus
from bot.syllabus.store import ChapterImport, apply_syllabus, questionnaire, store_questionnaires


@click.group("syllabus")
def syllabus_group() -> None:
    """The chapters and their questionnaires."""


@syllabus_group.command("import")
@click.argument("sources", nargs=-1, required=True, metavar="SOURCE...")
@click.option("--cohort", "cohort_name", metavar="NAME", help="Which cohort (default: the only one).")
@click.option("--team", metavar="T…", help="The cohort's workspace, when names repeat across workspaces.")
@click.option("--dry-run", is_flag=True, help="Print what would be stored; store nothing.")
@report_options
def import_command(sources: tuple[str, ...], cohort_name: str | None, team: str | None, dry_run: bool, quiet: bool,
                   as_json: bool) -> None:
    """Import a syllabus file (.yaml), or the questionnaires of a fastbook checkout, a folder of notebooks, or
    .ipynb files.

    A syllabus file sets the cohort's book, chapter titles, links and the questions it lists; nothing is stored
    unless the whole file is valid. Re-importing replaces those chapters' questions and keeps every answer: a
    changed question keeps its position (and answers) with the new text; a question that disappeared is
    retired, not deleted.
    """
    syllabus = _syllabus_file(sources)
    if syllabus is not None:
        chapters: dict[int, list[str]] = {unit.number: list(unit.questions) for unit in syllabus.units
                                          if unit.questions is not None}
        problems: list[str] = []
    else:
        from bot.syllabus.importer import import_questionnaires  # nbformat and jsonschema: not for every run

        result = import_questionnaires(list(sources))
        if not result.chapters:
            for problem in result.problems:
                click.echo(f"studybot: {problem}", err=True)
            raise CliError("nothing was imported (no questionnaire found in the sources given)")
        chapters, problems = result.chapters, result.problems
    if dry_run:
        _print_dry_run(syllabus, chapters, problems)
        return
    report = Report("syllabus import", "storing chapters", quiet=quiet, as_json=as_json)

    async def work(runtime: Runtime) -> tuple[str, list[ChapterImport]]:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team, cohort_name)
            if syllabus is not None:
                return cohort.name, await apply_syllabus(session, cohort, syllabus, runtime.clock.now(),
                                                         progress=report.step)
            return cohort.name, await store_questionnaires(session, cohort, chapters, runtime.clock.now(),
                                                           progress=report.step)

    name, imported = run(work)
    total = sum(chapter.count for chapter in imported)
    book = [f'syllabus "{syllabus.title}" set on cohort {name}'] if syllabus is not None else []
    report.finish(Summary(
        [*book, *map(_chapter_line, imported),
         f"imported {counted(total, 'question')} from {counted(len(imported), 'chapter')} into cohort {name}"],
        problems, [], {"cohort": name, "questions": total, "chapters": [c.chapter for c in imported]}))


def _syllabus_file(sources: tuple[str, ...]) -> Syllabus | None:
    """The syllabus file among `sources` (read and validated), or None when they are notebooks."""
    files = [source for source in sources if Path(source).suffix.lower() in SYLLABUS_SUFFIXES]
    if not files:
        return None
    if len(sources) > 1:
        raise CliError("import one syllabus file at a time, without notebooks")
    return read_syllabus(files[0])


def _print_dry_run(syllabus: Syllabus | None, chapters: dict[int, list[str]], problems: list[str]) -> None:
    if syllabus is not None:
        click.echo(f"{syllabus.title} — {syllabus.author} ({syllabus.home})")
        for unit in syllabus.units:
            asked = (counted(len(unit.questions), "question") if unit.questions is not None
                     else "questions kept as they are")
            reading = f", reading {unit.reading}" if unit.reading else ""
            click.echo(f"week {unit.number:2d} {unit.title}: {counted(len(unit.links), 'link')}{reading}, {asked}")
    else:
        for number, questions in sorted(chapters.items()):
            click.echo(f"chapter {number:2d}: {counted(len(questions), 'question')}")
    for problem in problems:
        click.echo(f"skipped: {problem}")
    click.echo("dry run: nothing was stored")


@syllabus_group.command("new")
@click.option("--from", "source", default=DEFAULT, show_default=True, metavar="NAME",
              help=f"The built-in syllabus to start from ({', '.join(BUILT_IN)}).")
def new_command(source: str) -> None:
    """Print a syllabus file to start from: `studybot syllabus new --from fastbook > syllabus.yaml`."""
    if source not in BUILT_IN:
        raise CliError(f'no built-in syllabus "{source}" (there is: {", ".join(BUILT_IN)})')
    click.echo(built_in_text(source), nl=False)


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
