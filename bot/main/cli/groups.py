"""`studybot groups …`: form the time-zone study groups, look at them, see how active they are, merge two."""
from __future__ import annotations

from typing import Any

import click

from bot.blocks import counted
from bot.cohorts.store import pick_cohort
from bot.database import Database
from bot.groups import formation, merging, preview
from bot.groups.group_activity import health, health_json, overview, show_json
from bot.main.cli.common import echo_json, run
from bot.main.cli.progress import Report, Summary, report_options
from bot.models import Cohort
from bot.runtime import Runtime
from bot.settings import require

cohort_option = click.option("--cohort", "cohort_name", metavar="NAME",
                             help="The cohort (default: the only active one).")


@click.group("groups")
def groups_group() -> None:
    """Time-zone study groups: form, show, health, merge."""


async def _cohort(db: Database, name: str | None) -> Cohort:
    async with db.session() as session:
        return await pick_cohort(session, None, name)


@groups_group.command("form")
@cohort_option
@click.option("--min", "min_size", type=int, help="Smallest group (default: the cohort's, 4).")
@click.option("--max", "max_size", type=int, help="Largest group (default: the cohort's, 8).")
@click.option("--dry-run", is_flag=True, help="Show the groups it would make and who would wait; change nothing.")
@report_options
def form_command(cohort_name: str | None, min_size: int | None, max_size: int | None, dry_run: bool, quiet: bool,
                 as_json: bool) -> None:
    """Form the groups now (or, if formed already, new ones from the waiting list), and set up their channels.

    Safe to run again: it resumes whatever a previous run left undone."""
    if dry_run:
        _preview(cohort_name, min_size, max_size, as_json)
        return
    report = Report("groups form", "setting up group channels", quiet=quiet, as_json=as_json)

    async def work(runtime: Runtime) -> formation.FormReport:
        require(runtime.settings, "slack_bot_token")
        cohort = await _cohort(runtime.db, cohort_name)
        return await formation.form(runtime.db, runtime.client_for(cohort.team_id), cohort.id, runtime.clock.now(),
                                    sleep=runtime.sleep, min_size=min_size, max_size=max_size,
                                    progress=report.step)

    formed = run(work)
    done, skipped, failed = formed.outcome()
    report.finish(Summary(done, skipped, failed, {
        "groups_planned": formed.planned, "groups": formed.groups, "grouped": formed.grouped,
        "waiting": formed.waiting, "largest_spread_minutes": formed.largest_spread,
        "channels_set_up": formed.set_up, "unfinished": formed.unfinished}))


def _preview(cohort_name: str | None, min_size: int | None, max_size: int | None, as_json: bool) -> None:
    async def work(runtime: Runtime) -> preview.Preview:
        cohort = await _cohort(runtime.db, cohort_name)
        return await preview.preview_formation(runtime.db, cohort.id, runtime.clock.now(), min_size=min_size,
                                               max_size=max_size)

    planned = run(work)
    if as_json:
        echo_json(preview.preview_json(planned))
        return
    for line in preview.preview_lines(planned):
        click.echo(line)


@groups_group.command("show")
@cohort_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def show_command(cohort_name: str | None, as_json: bool) -> None:
    """The groups (members, current UTC offsets, meeting slots for the coming week) and who is waiting."""

    async def work(runtime: Runtime) -> dict[str, Any]:
        cohort = await _cohort(runtime.db, cohort_name)
        async with runtime.db.session() as session:
            views, waiting = await overview(session, cohort, runtime.clock.now())
        return show_json(views, waiting)

    data = run(work)
    if as_json:
        echo_json(data)
        return
    for group in data["groups"]:
        offsets = ", ".join(f"{o:+g}" for o in group["utc_offsets"])
        members = counted(len(group["members"]), "member")
        click.echo(f"{group['name']} ({group['channel'] or 'no channel yet'}): {members},"
                   f" UTC offsets {offsets}")
        for slot in group["meeting_slots"]:
            click.echo(f"  meet {slot}")
    click.echo(f"waiting: {', '.join(data['waiting']) or 'nobody'}")


@groups_group.command("health")
@cohort_option
@click.option("--weeks", default=4, show_default=True, type=click.IntRange(1, 52), help="How many weeks back.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def health_command(cohort_name: str | None, weeks: int, as_json: bool) -> None:
    """Each group's members and messages per week (weeks start Monday, UTC); quiet groups are marked."""

    async def work(runtime: Runtime) -> dict[str, Any]:
        cohort = await _cohort(runtime.db, cohort_name)
        async with runtime.db.session() as session:
            return health_json(await health(session, cohort, runtime.clock.now(), weeks))

    data = run(work)
    if as_json:
        echo_json(data)
        return
    for group in data["groups"]:
        counts = " ".join(str(w["messages"]) for w in group["messages_per_week"])
        mark = "  QUIET" if group["quiet"] else ""
        click.echo(f"{group['name']}: {counted(len(group['members']), 'member')},"
                   f" messages per week (oldest first): {counts}{mark}")


@groups_group.command("merge")
@cohort_option
@click.argument("group")
@click.argument("into")
def merge_command(cohort_name: str | None, group: str, into: str) -> None:
    """Merge GROUP into INTO: its members are invited to INTO's channel;
    GROUP's channel gets a pointer and is archived."""

    async def work(runtime: Runtime) -> merging.MergeReport:
        require(runtime.settings, "slack_bot_token")
        cohort = await _cohort(runtime.db, cohort_name)
        return await merging.merge(runtime.db, runtime.client_for(cohort.team_id), cohort.id, group, into,
                                   runtime.clock.now(), sleep=runtime.sleep)

    merged = run(work)
    click.echo(f"merged {merged.mover} into {merged.keeper} ({merged.keeper_channel}):"
               f" {counted(len(merged.moved), 'member')}"
               f" moved; the group now has {counted(merged.size, 'member')}")


def register(cli: click.Group) -> None:
    cli.add_command(groups_group)
