"""`studybot db upgrade`."""
from __future__ import annotations

import click

from bot.database import upgrade_sync
from bot.errors import StudyError
from bot.main.cli.common import scrub, settings_or_exit


@click.group("db")
def db_group() -> None:
    """Database schema management."""


@db_group.command("upgrade")
def db_upgrade() -> None:
    """Apply Alembic migrations up to the newest schema."""
    settings = settings_or_exit()
    try:
        upgrade_sync(settings.database_url)
    except OSError as error:
        raise StudyError(scrub(f"cannot reach the database ({error})", settings)) from None
    click.echo("database is up to date")


def register(cli: click.Group) -> None:
    cli.add_command(db_group)
