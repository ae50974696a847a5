"""`studybot cohort …`: create, list and edit cohorts, and steer their weekly rhythm."""
from __future__ import annotations

import re
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import aiohttp
import click
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.blocks import counted
from bot.calendar.timeparse import parse_local_datetime, parse_weekly_time
from bot.calendar.zones import cohort_timezone
from bot.cohorts.setup import start_is_far, usable_channels
from bot.cohorts.store import active_cohorts, create_cohort, edit_cohort, pick_cohort
from bot.cohorts.weeks import current_week_of, next_week_of, week_of
from bot.errors import StudyError
from bot.feeds.cohort import cohort_feed_line
from bot.main.cli.common import NOW_OPTION, CliError, clock_at, echo_json, run
from bot.main.cli.progress import Report, Summary, report_options
from bot.models import Cohort
from bot.rhythm.admin import pause_before, skip_announcement, status_card, unpause_before
from bot.rhythm.compose import rerun_announcement
from bot.rhythm.views import StatusCard, counts_line, status_lines, where_now
from bot.runtime import Runtime
from bot.sessions.links import parse_session_link
from bot.sessions.summary import session_lines
from bot.slack_ids import parse_channel_id, parse_user_refs, resolve_users
from bot.syllabus.fastbook import DEFAULT
from bot.syllabus.file import find_syllabus

CHANNEL_FIELDS = ("channel_id", "share_channel_id", "questionnaire_channel_id")
_TEAM_ID = re.compile(r"[TE][A-Z0-9]{8,14}")
NO_TEAM = ("which Slack workspace? Pass --team T0123ABCDEF, or set SLACK_BOT_TOKEN so studybot can ask Slack"
           " (auth.test).")


@click.group("cohort")
def cohort_group() -> None:
    """Study groups: create, list, edit; pause, skip or re-run a week."""


team_option = click.option("--team", metavar="T…",
                           help="Slack workspace id (default: asked from Slack with SLACK_BOT_TOKEN).")
allow_past_option = click.option("--allow-past", is_flag=True, help="Accept a --start that is already past.")
yes_option = click.option("--yes", is_flag=True, help="Don't ask to confirm a --start more than a year ahead.")


@cohort_group.command("create")
@click.argument("name")
@click.option("--channel", required=True, metavar="CHANNEL_ID", help="The cohort channel, e.g. C0123ABCDEF.")
@click.option("--start", required=True, metavar='"YYYY-MM-DD HH:MM"', help="Local date and time week 1 opens.")
@click.option("--timezone", "zone", required=True, metavar="PLACE",
              help="The cohort's time zone: Area/City, or what /study join accepts (PST, a city).")
@click.option("--syllabus", "syllabus_name", default=DEFAULT, show_default=True, metavar="NAME",
              help="What the cohort studies: a built-in syllabus (fastbook) or a syllabus file's path.")
@click.option("--weeks", type=int, help="Number of weeks (default: the syllabus's week plan).")
@click.option("--session", metavar='"tue 18:00"', help="Weekly live session, local time.")
@click.option("--session-link", metavar="URL", help="Where members join the live session (https://…).")
@click.option("--share-channel", metavar="CHANNEL_ID", help="Where members share what they built.")
@click.option("--questionnaire-channel", metavar="CHANNEL_ID", help="Where questions go (default: the cohort channel).")
@click.option("--organizers", metavar="U1,@name", help="The organizers: Slack user ids or @names.")
@team_option
@allow_past_option
@yes_option
def create_command(name: str, channel: str, start: str, zone: str, syllabus_name: str, weeks: int | None,
                   session: str | None, session_link: str | None,
                   share_channel: str | None, questionnaire_channel: str | None, organizers: str | None,
                   team: str | None, allow_past: bool, yes: bool) -> None:
    """Create cohort NAME on a syllabus: its chapter titles and links, and any questions it lists. The built-in
    fastbook ships no questions: import them from your checkout with
    `studybot syllabus import PATH/TO/fastbook --cohort NAME`.

    The bot checks with Slack that it can post in every channel given (and joins public ones) first."""
    timezone, start_local, refs = _validate_create(channel, start, zone, session, share_channel,
                                                   questionnaire_channel, organizers)
    link = parse_session_link(session_link) if session_link is not None else None
    syllabus = find_syllabus(syllabus_name)

    async def work(runtime: Runtime) -> tuple[Cohort, list[str]]:
        team_id = await resolve_team(runtime, team)
        _confirm_start(start_local, timezone, runtime, allow_past=allow_past, yes=yes)
        client = _slack(runtime)
        organizer_ids = await resolve_users(client, refs)
        notes = await usable_channels(client, [channel, share_channel, questionnaire_channel])
        async with runtime.db.session() as db_session:
            cohort = await create_cohort(
                db_session, team_id=team_id, name=name, channel_id=channel, timezone=timezone, start=start_local,
                now=runtime.clock.now(), weeks=weeks, syllabus=syllabus, session_time=session,
                share_channel_id=share_channel,
                questionnaire_channel_id=questionnaire_channel, organizers=organizer_ids,
            )
            cohort.session_link = link
        return cohort, notes

    cohort, notes = run(work)
    _notes(notes)
    first = week_of(cohort, 1).opens_at
    session_text = f", live session {cohort.session}" if cohort.session else ""
    click.echo(f"created cohort {cohort.name} in {cohort.channel_id}: {counted(cohort.weeks, 'week')}, week 1 opens "
               f"{cohort.start_local:%Y-%m-%d %H:%M} {cohort.timezone} ({first:%Y-%m-%d %H:%M} UTC){session_text}")


def _validate_create(channel: str, start: str, zone: str, session: str | None, share: str | None,
                     questionnaire: str | None, organizers: str | None) -> tuple[str, datetime, list[str]]:
    """Every input checked before the database or Slack is touched: the zone, the start, the organizers."""
    parse_channel_id(channel)
    timezone = cohort_timezone(zone)
    start_local = parse_local_datetime(start)
    if session:
        parse_weekly_time(session)
    for extra in (share, questionnaire):
        if extra:
            parse_channel_id(extra)
    return timezone, start_local, parse_user_refs(organizers) if organizers else []


def _slack(runtime: Runtime) -> AsyncWebClient | None:
    """The Slack client, or None without SLACK_BOT_TOKEN (the checks then say they were skipped)."""
    return runtime.client if runtime.settings.slack_bot_token else None


def _confirm_start(start_local: datetime, timezone: str, runtime: Runtime, *, allow_past: bool, yes: bool) -> None:
    if start_is_far(start_local, timezone, runtime.clock.now(), allow_past=allow_past) and not yes:
        click.confirm(f"Week 1 would open {start_local:%Y-%m-%d %H:%M} {timezone}, more than a year from now."
                      " Is that right?", abort=True, err=True)


def _notes(notes: list[str]) -> None:
    for note in notes:
        click.echo(f"studybot: {note}", err=True)


async def resolve_team(runtime: Runtime, team: str | None) -> str:
    """`--team`, else the workspace of SLACK_BOT_TOKEN (auth.test)."""
    if team:
        if not _TEAM_ID.fullmatch(team.strip()):
            raise StudyError(f'"{team}" is not a workspace id; expected one like T0123ABCDEF.')
        return team.strip()
    if not runtime.settings.slack_bot_token:
        raise StudyError(NO_TEAM)
    try:
        response = await runtime.client.auth_test()
    except SlackApiError as error:
        raise StudyError(f"Slack refused SLACK_BOT_TOKEN ({error.response.get('error')}); "
                         "pass --team instead.") from None
    except (aiohttp.ClientError, TimeoutError) as error:
        raise StudyError(f"cannot reach Slack to learn the workspace ({error}); pass --team instead.") from None
    return str(response["team_id"])


@cohort_group.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@team_option
def list_command(as_json: bool, team: str | None) -> None:
    """List active cohorts and where each one is in its rhythm."""

    async def work(runtime: Runtime) -> list[tuple[dict[str, Any], StatusCard]]:
        now = runtime.clock.now()
        async with runtime.db.session() as session:
            return [(describe(cohort, now), await status_card(session, cohort, now))
                    for cohort in await active_cohorts(session, team)]

    rows = run(work)
    if as_json:
        echo_json([row for row, _ in rows])
        return
    if not rows:
        click.echo("no cohorts yet: studybot cohort create NAME --channel C… --start … --timezone …")
    for row, card in rows:
        click.echo(f"{row['name']}  {row['team_id']}  {row['channel_id']}  {row['timezone']}  start {row['start']}"
                   f"  {counted(row['weeks'], 'week')}  session {row['session'] or '-'}")
        click.echo(f"  {where_now(card)} · {counts_line(card.counts)}" if card.counts else f"  {where_now(card)}")


@cohort_group.command("show")
@click.argument("name")
@team_option
@NOW_OPTION
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def show_command(name: str, team: str | None, now_text: str | None, as_json: bool) -> None:
    """Where cohort NAME is (week k of n, this week's chapter), its next scheduled posts, members, groups,
    who waits and the answers this week: what `/study admin status` shows in Slack."""

    async def work(runtime: Runtime) -> tuple[StatusCard, list[str], str]:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team, name)
            now = runtime.clock.now()
            return (await status_card(session, cohort, now), await session_lines(session, cohort, now),
                    await cohort_feed_line(session, cohort))

    card, live_lines, calendar_line = run(work, clock=clock_at(now_text))
    if as_json:
        echo_json({"name": card.name, "week": card.current_week, "weeks": card.weeks, "chapter": card.current_label,
                   "next_posts": [{"what": what, "utc": when.astimezone(UTC).isoformat(),
                                   "local": when.astimezone(ZoneInfo(card.timezone)).isoformat()}
                                  for when, what in card.upcoming],
                   **(asdict(card.counts) if card.counts else {})})
        return
    for line in [*status_lines(card), *live_lines]:
        click.echo(line)
    click.echo(calendar_line)


def describe(cohort: Cohort, now: datetime) -> dict[str, Any]:
    current, upcoming = current_week_of(cohort, now), next_week_of(cohort, now)
    return {
        "name": cohort.name, "team_id": cohort.team_id, "channel_id": cohort.channel_id,
        "timezone": cohort.timezone, "start": f"{cohort.start_local:%Y-%m-%d %H:%M}", "weeks": cohort.weeks,
        "session": cohort.session, "breaks": sorted(cohort.breaks or []), "organizers": list(cohort.organizers or []),
        "share_channel_id": cohort.share_channel_id, "questionnaire_channel_id": cohort.questionnaire_channel_id,
        "current_week": current.number if current else None,
        "next_week": upcoming.number if upcoming else None,
        "next_opens_at": upcoming.opens_at.isoformat() if upcoming else None,
    }


@cohort_group.command("set")
@click.argument("name")
@click.option("--channel", metavar="CHANNEL_ID")
@click.option("--start", metavar='"YYYY-MM-DD HH:MM"')
@click.option("--timezone", "zone", metavar="PLACE")
@click.option("--weeks", type=int)
@click.option("--session", metavar='"tue 18:00" or off')
@click.option("--session-link", metavar="URL or off", help="Where members join the live session (https://…).")
@click.option("--share-channel", metavar="CHANNEL_ID or off")
@click.option("--questionnaire-channel", metavar="CHANNEL_ID or off")
@click.option("--organizers", metavar="U1,@name")
@click.option("--complete-at", metavar="K or default",
              help="Chapters done that complete the cohort (default: 75% of its chapters, rounded up).")
@team_option
@allow_past_option
@yes_option
def set_command(name: str, team: str | None, allow_past: bool, yes: bool, **options: Any) -> None:
    """Change settings of cohort NAME (weeks already announced are never announced again)."""
    link_text = options.pop("session_link")
    changes = _edit_arguments(options)
    link = _link_change(link_text)
    if not changes and link is _KEEP:
        raise CliError("nothing to change; give at least one option (see studybot cohort set --help)")

    async def work(runtime: Runtime) -> tuple[list[str], list[str]]:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team, name)
        if "start" in changes or "timezone" in changes:
            _confirm_start(changes.get("start", cohort.start_local), changes.get("timezone", cohort.timezone),
                           runtime, allow_past=allow_past, yes=yes)
        client = _slack(runtime)
        if "organizers" in changes:
            changes["organizers"] = await resolve_users(client, changes["organizers"])
        notes = await usable_channels(client, [changes.get(field) for field in CHANNEL_FIELDS])
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team, name)
            changed = await edit_cohort(session, cohort, **changes) if changes else []
            if link is not _KEEP and cohort.session_link != link:
                cohort.session_link = link
                changed.append("session_link")
            return changed, notes

    changed, notes = run(work)
    _notes(notes)
    click.echo(f"{name}: changed {', '.join(changed)}" if changed else f"{name}: already set that way")


_KEEP: Any = object()


def _link_change(text: str | None) -> Any:
    """`--session-link`: _KEEP when absent, None for off, else the checked link (before anything is stored)."""
    if text is None:
        return _KEEP
    return None if text.strip().lower() in ("off", "none", "") else parse_session_link(text)


def _edit_arguments(options: dict[str, Any]) -> dict[str, Any]:
    def off(value: str) -> str | None:
        return None if value.strip().lower() in ("off", "none", "") else value

    changes: dict[str, Any] = {}
    for option, field in (("channel", "channel_id"), ("weeks", "weeks")):
        if options[option] is not None:
            changes[field] = options[option]
    if options["zone"] is not None:
        changes["timezone"] = cohort_timezone(options["zone"])
    if options["start"] is not None:
        changes["start"] = parse_local_datetime(options["start"])
    for option, field in (("session", "session_time"), ("share_channel", "share_channel_id"),
                          ("questionnaire_channel", "questionnaire_channel_id")):
        if options[option] is not None:
            changes[field] = off(options[option])
    if options["organizers"] is not None:
        changes["organizers"] = parse_user_refs(options["organizers"])
    if options["complete_at"] is not None:
        changes["complete_at"] = _complete_at(options["complete_at"])
    return changes


def _complete_at(text: str) -> int | None:
    value = text.strip().lower()
    if value == "default":
        return None
    if not value.isdigit() or len(value) > 3:
        raise CliError(f"--complete-at is a number of chapters, or `default`; got {text!r}")
    return int(value)


@cohort_group.command("pause")
@click.argument("name")
@click.option("--week", required=True, type=int, help="Insert a break week before this week.")
@click.option("--undo", is_flag=True, help="Remove the break before this week instead.")
@team_option
def pause_command(name: str, week: int, undo: bool, team: str | None) -> None:
    """Pause the rhythm for one week before week K: K and every later week open a week later."""

    async def work(runtime: Runtime) -> str:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team, name)
            _check_week(cohort, week)
            opens = (unpause_before if undo else pause_before)(cohort, week, runtime.clock.now())
            done = "break removed" if undo else "paused for one week"
            return f"{cohort.name}: {done}; week {week} now opens {opens:%Y-%m-%d %H:%M} UTC"

    click.echo(run(work))


@cohort_group.command("skip")
@click.argument("name")
@click.option("--week", required=True, type=int)
@team_option
def skip_command(name: str, week: int, team: str | None) -> None:
    """Don't post week K's announcement."""

    async def work(runtime: Runtime) -> str:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team, name)
            _check_week(cohort, week)
            await skip_announcement(session, cohort, week, runtime.clock.now())
            return f"week {week}'s announcement of {cohort.name} will not be posted"

    click.echo(run(work))


@cohort_group.command("rerun")
@click.argument("name")
@click.option("--week", required=True, type=int)
@team_option
@report_options
def rerun_command(name: str, week: int, team: str | None, quiet: bool, as_json: bool) -> None:
    """Post week K's announcement again, now (needs SLACK_BOT_TOKEN)."""
    report = Report("cohort rerun", "posting the announcement", quiet=quiet, as_json=as_json)

    async def work(runtime: Runtime) -> Summary:
        if not runtime.settings.slack_bot_token:
            raise StudyError("posting needs SLACK_BOT_TOKEN (see .env.example)")
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team, name)
            _check_week(cohort, week)
        await report.step(0, 1)
        posted = await rerun_announcement(
            runtime.db, runtime.client_for(cohort.team_id), cohort, week, runtime.clock.now(),
            runtime.settings.command)
        await report.step(1, 1)
        if posted is None or not posted.fresh:
            return Summary(skipped=[f"week {week}'s announcement is being re-posted by another request;"
                                    " nothing more was posted"], details={"week": week})
        return Summary([f"re-posted week {week}'s announcement in {posted.channel_id} ({posted.ts})"],
                       details={"week": week, "channel": posted.channel_id, "ts": posted.ts})

    report.finish(run(work))


def _check_week(cohort: Cohort, week: int) -> None:
    if not 1 <= week <= cohort.weeks:
        raise StudyError(f"--week is a week number from 1 to {cohort.weeks}")


def register(cli: click.Group) -> None:
    cli.add_command(cohort_group)
