"""What every CLI command shares: a runtime (settings, database, clock), one-line errors, JSON output.

Errors, one convention: the core raises `bot.errors.StudyError` with the sentence to
show, and the `studybot` group prints it as one line (`studybot: …`, exit status 1)
wherever in a command it is raised. `CliError` is only for click-level usage errors
(an option missing its partner, nothing to change).
"""
from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from typing import IO, Any, TypeVar

import click

from bot.calendar.timeparse import parse_iso_instant
from bot.clock import FixedClock, SystemClock
from bot.database import Database, database_problem, require_current_schema, require_sqlite_file
from bot.errors import StudyError
from bot.logs import JsonFormatter, redact_tokens
from bot.runtime import Runtime
from bot.settings import Settings, SettingsError, load_settings, mask_url

T = TypeVar("T")
Clock = FixedClock | SystemClock

NOW_OPTION = click.option("--now", "now_text", metavar="ISO-8601",
                          help="Pretend it is this instant (default: the real now).")


class CliError(click.ClickException):
    """Printed as one line, `studybot: <message>`, exit status 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(f"studybot: {self.message}", err=True)


class StudyCommands(click.Group):
    """The `studybot` group: a `StudyError` from any command is printed as one line, never a traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except StudyError as error:
            raise CliError(str(error)) from None


def settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as error:
        raise StudyError(str(error)) from None


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter() if settings.log_format == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redact_tokens)
    logging.basicConfig(level=settings.log_level.upper(), handlers=[handler])
    logging.getLogger("alembic").setLevel(logging.WARNING)


def clock_at(now_text: str | None) -> Clock:
    """The clock for `--now ISO` (fixed at that instant), else the real one."""
    return FixedClock(parse_iso_instant(now_text)) if now_text else SystemClock()


def run(work: Callable[[Runtime], Awaitable[T]], *, check_schema: bool = True, probe: bool = True,
        clock: Clock | None = None) -> T:
    """Run `work` with a runtime over a database whose schema is current (refused otherwise: only
    `db upgrade` and `serve` migrate); its clock is `clock` or the real one. Every command reads "now"
    from `runtime.clock`, so `--now` (where offered) moves all of it. Errors are one line, with any
    database password masked. Unless `probe` is off (the doctor reports it), a database that can't be
    opened is one line naming it; a command that doesn't migrate never creates a SQLite file.
    """
    settings = settings_or_exit()
    configure_logging(settings)
    if check_schema:
        require_sqlite_file(settings.database_url)

    async def main() -> T:
        db = Database(settings.database_url)
        try:
            problem = await database_problem(db) if probe else None
            if problem:
                raise StudyError(problem)
            if check_schema:
                await require_current_schema(db)
            return await work(Runtime(settings=settings, db=db, clock=clock or SystemClock()))
        finally:
            await db.dispose()

    try:
        return asyncio.run(main())
    except StudyError as error:
        raise StudyError(scrub(str(error), settings)) from None
    except (SettingsError, ValueError) as error:  # a library's ValueError still gets its one line
        raise StudyError(scrub(str(error), settings)) from None
    except OSError as error:
        raise StudyError(scrub(f"cannot reach the database ({error.strerror or error})", settings)) from None


def scrub(message: str, settings: Settings) -> str:
    """No error line shows the database password, whatever library wrote the message."""
    from sqlalchemy.engine import make_url

    message = message.replace(settings.database_url, mask_url(settings.database_url))
    try:
        password = make_url(settings.database_url).password
    except Exception:  # an unparsable URL has no password we could find
        return message
    return message.replace(str(password), "***") if password else message


def echo_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))
