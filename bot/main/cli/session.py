"""`studybot session …`: one week's live session (moved, relinked, cancelled) and its recording."""
from __future__ import annotations

import click

from bot.ama.recording_admin import FROM_CLI, add_recording
from bot.cohorts.store import pick_cohort
from bot.main.cli.common import NOW_OPTION, clock_at, run
from bot.rhythm.occurrences import announcement_key
from bot.runtime import Runtime


@click.group("session")
def session_group() -> None:
    """The weekly live session: move, relink or cancel one week's session; add its recording."""


def register(cli: click.Group) -> None:
    cli.add_command(session_group)


@session_group.command("recording")
@click.argument("cohort_name", metavar="COHORT")
@click.argument("url")
@click.option("--week", required=True, type=int, help="The week whose session was recorded (it must have happened).")
@click.option("--team", metavar="T…", help="Slack workspace id, when two workspaces have a cohort of that name.")
@NOW_OPTION
def recording_command(cohort_name: str, url: str, week: int, team: str | None, now_text: str | None) -> None:
    """Add week N's recording (https:// only); again replaces the link. Posted in the week's thread."""
    async def work(runtime: Runtime) -> str:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team, cohort_name)
        return await add_recording(runtime.db, runtime.client_for(cohort.team_id), cohort, week, url,
                                   added_by=FROM_CLI, now=runtime.clock.now(), announcement_key=announcement_key)

    click.echo(run(work, clock=clock_at(now_text)))
