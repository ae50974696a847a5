"""`studybot report`: the organizer's weekly picture, locally — text, JSON, the chart as PNG, the per-member CSV."""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from bot.cohorts.store import pick_cohort
from bot.cohorts.weeks import weeks_around
from bot.errors import StudyError
from bot.main.cli.common import CliError, echo_json, run
from bot.models import Cohort
from bot.retention.activity import members
from bot.retention.chart import render_chart
from bot.retention.report import WeeklyReport, build_report, csv_rows, csv_text
from bot.retention.survival import curve_csv
from bot.runtime import Runtime


@click.command("report")
@click.option("--cohort", "cohort_name", metavar="NAME", help="The cohort (default: the only active one).")
@click.option("--week", type=int, metavar="N", help="Week number (default: the current week, else the last one).")
@click.option("--png", "png_path", type=click.Path(dir_okay=False, path_type=Path), help="Write the chart here.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write one row per member per week (member_id, week, answered, shared, group_messages,"
                   " marked_done).")
@click.option("--curve-csv", "curve_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the survival curve: one row per series (everyone, with/without a buddy, a commitment)"
                   " and week (series, members, week, still_active, share).")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON instead of text.")
def report_command(cohort_name: str | None, week: int | None, png_path: Path | None, csv_path: Path | None,
                   curve_path: Path | None, as_json: bool) -> None:
    """Print a week's report: members joined, active members per week, answers per chapter, quiet groups,
    new sharers, who came back, and the survival curve (the share still active each week, chapters done per
    member, with and without a buddy or a commitment). Reads the database only; nothing is posted."""
    async def work(runtime: Runtime) -> tuple[WeeklyReport, list[tuple]]:
        now = runtime.clock.now()
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, None, cohort_name)
            chosen = week if week is not None else _default_week(cohort, now)
            if not 1 <= chosen <= cohort.weeks:
                raise StudyError(f"--week is a week number from 1 to {cohort.weeks}")
            report, activity = await build_report(session, cohort, chosen)
            member_ids = [m.user_id for m in await members(session, cohort.id)]
        return report, csv_rows(activity, member_ids, chosen)

    report, rows = run(work)
    try:
        if png_path:
            png_path.write_bytes(render_chart(report))
        if csv_path:
            csv_path.write_text(csv_text(rows))
        if curve_path:
            curve_path.write_text(curve_csv(report.survival))
    except OSError as error:
        raise CliError(f"cannot write {error.filename}: {error.strerror}") from None
    if as_json:
        echo_json(report.as_dict())
    else:
        click.echo(report.text())


def _default_week(cohort: Cohort, now: datetime) -> int:
    around = weeks_around(cohort, now)
    if around.current is not None:
        return around.current.number
    if around.previous is not None:
        return around.previous.number
    raise ValueError("the cohort's week 1 hasn't opened yet; give --week N")


def register(cli: click.Group) -> None:
    cli.add_command(report_command)
