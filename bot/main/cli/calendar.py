"""`studybot cohort calendar NAME [--new] [--post]`: the cohort's calendar feed URL, for organizers."""
from __future__ import annotations

import click

from bot.cohorts.store import pick_cohort
from bot.feeds.cohort import CohortFeed, cohort_feed
from bot.main.cli.common import run
from bot.runtime import Runtime


@click.command("calendar")
@click.argument("name")
@click.option("--team", metavar="T…", help="Slack workspace id (when several have a cohort named NAME).")
@click.option("--new", is_flag=True, help="Replace the URL (the old one stops working; subscribers subscribe again).")
@click.option("--post", is_flag=True, help="Post the new URL in the cohort's channel, with how to subscribe.")
def calendar_command(name: str, team: str | None, new: bool, post: bool) -> None:
    """The URL of cohort NAME's calendar feed (every week's live session), made the first time; studybot keeps
    only its fingerprint, so it is shown once: --new makes another, --post posts it in the cohort's channel."""

    async def work(runtime: Runtime) -> CohortFeed:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team, name)
        client = runtime.client_for(cohort.team_id) if post else None
        return await cohort_feed(runtime.db, client, cohort, runtime.clock.now(),
                                 public_url=runtime.settings.public_url, new=new, post=post)

    feed = run(work)
    if feed.urls is None:
        click.echo(f"{name}: the calendar feed's URL was issued {feed.issued_at:%Y-%m-%d %H:%M} UTC; studybot keeps"
                   f" only its fingerprint, so it can't print it again — studybot cohort calendar {name} --new"
                   " [--post] makes a new one")
        return
    https_url, webcal_url = feed.urls
    click.echo(f"{name} calendar feed: {https_url}\n  Apple Calendar: {webcal_url}")
    if feed.posted:
        click.echo("  posted in the cohort's channel")


def register(cli: click.Group) -> None:
    cohort_group = cli.commands["cohort"]
    assert isinstance(cohort_group, click.Group), "cohort is registered before calendar"
    cohort_group.add_command(calendar_command)
