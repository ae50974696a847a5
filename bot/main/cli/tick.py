"""`studybot tick [--now ISO]`: run every due job once (cron-friendly)."""
from __future__ import annotations

import click

from bot.blocks import counted
from bot.errors import StudyError
from bot.main.cli.common import NOW_OPTION, clock_at, run
from bot.runtime import Runtime
from bot.scheduling import TickResult, tick
from schedules import all_jobs


@click.command("tick")
@NOW_OPTION
def tick_command(now_text: str | None) -> None:
    """Run every scheduled job that is due, exactly once per occurrence."""
    clock = clock_at(now_text)

    async def work(runtime: Runtime) -> list[TickResult]:
        return await tick(runtime.db, all_jobs(), runtime.job_context())

    results = run(work, clock=clock)
    for result in results:
        click.echo(result.line())
    click.echo(f"tick at {clock.now().isoformat()}: {counted(len(results), 'occurrence')} handled")
    failed = [result for result in results if result.outcome == "failed"]
    if failed:  # cron and monitoring see it; each failure was logged as one line (a traceback only for bugs)
        raise StudyError(f"{counted(len(failed), 'occurrence')} failed; they are retried later, with a backoff")


def register(cli: click.Group) -> None:
    cli.add_command(tick_command)
