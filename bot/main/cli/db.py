"""`studybot db upgrade`."""
from __future__ import annotations

import asyncio

import click

from bot.database import Database, database_name, database_problem, upgrade_sync
from bot.errors import StudyError
from bot.main.cli.common import scrub, settings_or_exit


@click.group("db")
def db_group() -> None:
    """Database schema management."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply Alembic migrations up to the newest schema."""
    settings = settings_or_exit()
    problem = asyncio.run(_problem(settings.database_url))
    if problem:
        raise StudyError(scrub(problem, settings))
    try:
        upgrade_sync(settings.database_url)
    except OSError as error:
        raise StudyError(scrub(f"cannot reach the database ({error})", settings)) from None
    click.echo(f"database {database_name(settings.database_url)} is up to date")


async def _problem(url: str) -> str | None:
    db = Database(url)
    try:
        return await database_problem(db)
    finally:
        await db.dispose()


def register(cli: click.Group) -> None:
    cli.add_command(db_group)
