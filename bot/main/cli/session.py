"""`studybot session …`: one week's live session (moved, relinked, cancelled) and its recording."""
from __future__ import annotations

import click

from bot.ama.recording_admin import FROM_CLI, add_recording
from bot.cohorts.store import pick_cohort
from bot.main.cli.common import NOW_OPTION, clock_at, run
from bot.rhythm.occurrences import announcement_key
from bot.runtime import Runtime
from bot.sessions.overrides import change_week, parse_change


@click.group("session")
def session_group() -> None:
    """The weekly live session: move, relink or cancel one week's session; add its recording."""


@session_group.command("set")
@click.argument("cohort")
@click.option("--week", required=True, metavar="N", help="The week whose session changes.")
@click.option("--link", metavar="URL", help="This week's join link (https://…), instead of the cohort's.")
@click.option("--at", "at", metavar='"YYYY-MM-DD HH:MM"', help="Move the session to this local time of the cohort.")
@click.option("--cancel", is_flag=True, help="Cancel this week's session: no reminders go out.")
@click.option("--restore", is_flag=True, help="Undo --cancel: the session and its reminders are back.")
@click.option("--team", metavar="T…", help="Slack workspace id, when several have a cohort of that name.")
@NOW_OPTION
def set_command(cohort: str, week: str, link: str | None, at: str | None, cancel: bool, restore: bool,
                team: str | None, now_text: str | None) -> None:
    """Move, relink, cancel or restore week N's live session of COHORT; members are told once in the
    cohort channel, and the reminders follow the new time."""

    async def work(runtime: Runtime) -> str:
        async with runtime.db.session() as session:
            found = await pick_cohort(session, team, cohort)
        change = parse_change(found, week=week, at=at, link=link, cancel=cancel, restore=restore)
        return (await change_week(runtime.db, found.id, change)).sentence(found)

    click.echo(run(work, clock=clock_at(now_text)))


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
