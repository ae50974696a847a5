"""What every CLI command shares: settings, a database, one-line errors, JSON output."""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from bot.database import Database, require_current_schema
from bot.settings import Settings, SettingsError, load_settings, mask_url

T = TypeVar("T")


class CliError(click.ClickException):
    """Printed as one line, `studybot: <message>`, exit status 1."""

    def show(self, file=None) -> None:  # type: ignore[no-untyped-def]
        click.echo(f"studybot: {self.message}", err=True)


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        raise CliError(str(error)) from None


def configure_logging(settings: Settings) -> None:
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)


def run(work: Callable[[Settings, Database], Awaitable[T]], *, check_schema: bool = True) -> T:
    """Run `work` on a database whose schema is current (refused otherwise: only `db upgrade` and
    `serve` migrate); ValueError becomes a one-line error, with any database password masked."""
    settings = settings_or_exit()
    configure_logging(settings)

    async def main() -> T:
        db = Database(settings.database_url)
        try:
            if check_schema:
                await require_current_schema(db)
            return await work(settings, db)
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except (ValueError, SettingsError) as error:
        raise CliError(scrub(str(error), settings)) from None
    except OSError as error:
        raise CliError(scrub(f"cannot reach the database ({error.strerror or error})", settings)) from None


def scrub(message: str, settings: Settings) -> str:
    """No error line shows the database password, whatever library wrote the message."""
    from sqlalchemy.engine import make_url

    message = message.replace(settings.database_url, mask_url(settings.database_url))
    try:
        password = make_url(settings.database_url).password
    except Exception:  # noqa: BLE001 - an unparsable URL has no password we could find
        return message
    return message.replace(str(password), "***") if password else message


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
