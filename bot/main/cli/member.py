"""`studybot member forget|export U…`: an organizer acting on a member's request about their data."""
from __future__ import annotations

from typing import Any

import click

from bot.main.cli.common import CliError, run
from bot.privacy.export import as_json, member_data
from bot.privacy.forget import Forgotten, forget_member, the_workspace
from bot.privacy.views import render_forgotten
from bot.runtime import Runtime
from bot.slack_ids import parse_user_ids

TEAM = click.option("--team", "team_id", metavar="T…", help="The workspace (default: the only one with cohorts).")


@click.group("member")
def member_group() -> None:
    """A member's data, on their request: export it, or forget them."""


def _one_member(user_id: str) -> str:
    try:
        users = parse_user_ids(user_id)
    except ValueError as error:
        raise CliError(str(error)) from None
    if len(users) != 1:
        raise CliError("give one member id, e.g. U012ABCDEF")
    return users[0]


@member_group.command("forget")
@click.argument("user_id", metavar="U…")
@TEAM
@click.option("--yes", is_flag=True, help="Don't ask for confirmation.")
def forget_command(user_id: str, team_id: str | None, yes: bool) -> None:
    """Delete everything stored about a member (their answers, shares, votes, group, preferences, reminders)."""
    user_id = _one_member(user_id)
    if not yes:
        click.confirm(f"Delete everything studybot stores about {user_id}?", abort=True)

    async def work(runtime: Runtime) -> Forgotten:
        return await forget_member(runtime.db, await the_workspace(runtime.db, team_id), user_id, runtime.clock.now())

    forgotten = run(work)
    click.echo(render_forgotten(forgotten).replace("about you", f"about {user_id}"))
    for table, rows in sorted(forgotten.deleted.items()):
        click.echo(f"  {table}: {rows}")


@member_group.command("export")
@click.argument("user_id", metavar="U…")
@TEAM
def export_command(user_id: str, team_id: str | None) -> None:
    """Print, as JSON, everything stored about a member (what `/study my-data` sends them)."""
    user_id = _one_member(user_id)

    async def work(runtime: Runtime) -> dict[str, Any]:
        return await member_data(runtime.db, await the_workspace(runtime.db, team_id), user_id, runtime.clock.now())

    click.echo(as_json(run(work)))


def register(cli: click.Group) -> None:
    cli.add_command(member_group)
