"""`studybot tick [--now ISO]`: run every due job once (cron-friendly)."""
from __future__ import annotations

import click

from bot.main.cli.common import CliError, run
from bot.clock import FixedClock, SystemClock
from bot.runtime import Runtime
from bot.scheduling import tick
from schedules import all_jobs
from bot.timeparse import parse_iso_instant


@click.command("tick")
@click.option("--now", "now_text", metavar="ISO-8601", help="Pretend it is this instant (default: the real now).")
def tick_command(now_text: str | None) -> None:
    """Run every scheduled job that is due, exactly once per occurrence."""
    try:
        clock = FixedClock(parse_iso_instant(now_text)) if now_text else SystemClock()
    except ValueError as error:
        raise CliError(str(error)) from None

    async def work(settings, db):  # type: ignore[no-untyped-def]
        runtime = Runtime(settings=settings, db=db, clock=clock)
        return await tick(db, all_jobs(), runtime.job_context())

    results = run(work)
    for result in results:
        click.echo(result.line())
    click.echo(f"tick at {clock.now().isoformat()}: {len(results)} occurrence(s) handled")
    failed = [result for result in results if result.outcome == "failed"]
    if failed:  # cron and monitoring see it; each failure was logged as one line (a traceback only for bugs)
        raise CliError(f"{len(failed)} occurrence(s) failed; they are retried later, with a backoff")


def register(cli: click.Group) -> None:
    cli.add_command(tick_command)
