"""`studybot ama show|export`: a live session's questions, as text, JSON or CSV."""
from __future__ import annotations

import json
from typing import Any

import click

from bot.ama.channel_board import NoQuestionsYet
from bot.ama.export import as_csv, as_json, as_text, export_board
from bot.cohorts.store import pick_cohort
from bot.main.cli.common import run
from bot.models import Cohort
from bot.models.ama import AmaBoard
from bot.runtime import Runtime

COHORT_OPTION = click.option("--cohort", "cohort_name", metavar="NAME",
                             help="Which cohort (default: the only active one).")
SESSION_OPTION = click.option("--session", "week", type=int, metavar="WEEK",
                              help="The week whose live session (default: the next session).")


@click.group("ama")
def ama_group() -> None:
    """Questions for the live session: asked and upvoted in Slack."""


def _board(cohort_name: str | None, week: int | None, *,
           empty_ok: bool = False) -> tuple[Cohort, AmaBoard | NoQuestionsYet, list[dict[str, Any]]]:
    """(cohort, board, rows); with `empty_ok`, an empty board comes back as its `NoQuestionsYet` instead."""
    async def work(runtime: Runtime) -> tuple[Cohort, AmaBoard | NoQuestionsYet, list[dict[str, Any]]]:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, None, cohort_name)
            try:
                board, rows = await export_board(session, cohort, week, runtime.clock.now())
            except NoQuestionsYet as empty:
                if not empty_ok:
                    raise
                return cohort, empty, []
        return cohort, board, rows

    return run(work)


@ama_group.command("show")
@COHORT_OPTION
@SESSION_OPTION
@click.option("--json", "as_json_flag", is_flag=True, help="Print JSON.")
def show_command(cohort_name: str | None, week: int | None, as_json_flag: bool) -> None:
    """Print the board by votes (answered and hidden questions last)."""
    cohort, board, rows = _board(cohort_name, week, empty_ok=True)
    if isinstance(board, NoQuestionsYet):  # an empty board is an answer, not a failure
        click.echo(json.dumps({"cohort": cohort.name, "week": board.week, "questions": []}) if as_json_flag
                   else str(board))
        return
    click.echo(as_json(cohort, board, rows) if as_json_flag else as_text(cohort, board, rows))


@ama_group.command("export")
@COHORT_OPTION
@SESSION_OPTION
@click.option("--json", "output", flag_value="json", help="JSON: cohort, week, session and the questions.")
@click.option("--csv", "output", flag_value="csv", default=True, help="CSV (the default).")
def export_command(cohort_name: str | None, week: int | None, output: str) -> None:
    """Every question: text, asker (or "anonymous"), votes, also asked by, state, pinned, answered-at."""
    cohort, board, rows = _board(cohort_name, week)
    assert isinstance(board, AmaBoard), "without empty_ok an empty board is refused"
    click.echo(as_json(cohort, board, rows) if output == "json" else as_csv(rows), nl=output == "json")


def register(cli: click.Group) -> None:
    cli.add_command(ama_group)
