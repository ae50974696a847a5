"""What every CLI command shares: settings, a database, one-line errors, JSON output."""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import click

from bot.database import Database, upgrade
from bot.logs import JsonFormatter, redact_tokens
from bot.settings import Settings, SettingsError, load_settings

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
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redact_tokens)
    logging.basicConfig(level=settings.log_level.upper(), handlers=[handler])
    logging.getLogger("alembic").setLevel(logging.WARNING)


def run(work: Callable[[Settings, Database], Awaitable[T]], *, migrate: bool = True) -> T:
    """Run `work` with a migrated database; ValueError becomes a one-line error."""
    settings = settings_or_exit()
    configure_logging(settings)

    async def main() -> T:
        db = Database(settings.database_url)
        try:
            if migrate:
                await upgrade(settings.database_url)
            return await work(settings, db)
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except (ValueError, SettingsError) as error:
        raise CliError(str(error)) from None
    except OSError as error:
        raise CliError(f"cannot reach the database ({error.strerror or error})") from None


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
