"""`studybot doctor`: one line per check (✓/✗ and the fix, – not checked); exit status 1 when anything needs fixing."""
from __future__ import annotations

import click

from bot.database import database_name
from bot.doctor.checks import Check, run_doctor
from bot.main.cli.common import NOW_OPTION, clock_at, run
from bot.runtime import Runtime


@click.command("doctor")
@NOW_OPTION
def doctor_command(now_text: str | None) -> None:
    """Check the database, the Slack token and scopes, and every cohort's channels, syllabus and next posts."""

    async def work(runtime: Runtime) -> list[Check]:
        client = runtime.client if runtime.settings.slack_bot_token else None
        return await run_doctor(runtime.db, client, runtime.clock.now(),
                                database_label=f"database {database_name(runtime.db.url)}")

    checks = run(work, check_schema=False, probe=False, clock=clock_at(now_text))
    for check in checks:
        click.echo(check.line())
    if not all(check.ok for check in checks):
        raise SystemExit(1)


def register(cli: click.Group) -> None:
    cli.add_command(doctor_command)
