"""`studybot digest show|post`: print a week's share-your-work digest, or (re-)post it on demand."""
from __future__ import annotations

from datetime import datetime
from typing import Any

import click
from slack_sdk.errors import SlackApiError

from bot.blocks import counted
from bot.calendar.weeks import last_opened_week
from bot.cohorts.store import pick_cohort, rhythm_of
from bot.errors import StudyError
from bot.main.cli.common import NOW_OPTION, clock_at, echo_json, run
from bot.main.cli.progress import Report, Summary, report_options
from bot.models import Cohort
from bot.outbound import Posted
from bot.runtime import Runtime
from bot.settings import require
from bot.share.catchup import catch_up
from bot.share.digest import WeekDigest, compose_digest, post_digest, repost_key, shown_posts, window_start
from bot.share.digest_timing import digest_due_at, latest_due_week
from bot.share.ranking import engagement_of, title_of
from bot.share.store import weeks_of_posts

_UNESCAPE = (("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&"))


@click.group("digest")
def digest_group() -> None:
    """The weekly share-your-work digest."""


@digest_group.command("show")
@click.option("--cohort", "cohort_name", metavar="NAME", help="Which cohort (default: the only active one).")
@click.option("--week", type=int, help="Week number (default: the latest digest due, else the current week).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: counts, ranked posts, first-timers.")
@NOW_OPTION
def show_command(cohort_name: str | None, week: int | None, as_json: bool, now_text: str | None) -> None:
    """Print a week's digest from the bot's record, without posting anything or calling Slack."""
    async def work(runtime: Runtime) -> tuple[Cohort, WeekDigest, dict[str, int | None]]:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, None, cohort_name)
            chosen = week if week is not None else _default_week(cohort, runtime.clock.now(), posting=False)
            composed = await compose_digest(session, cohort, chosen)
            weeks = await weeks_of_posts(session, cohort.team_id, cohort.share_channel_id or "",
                                         (post.ts for post in composed.digest.ranked))
        return cohort, composed, weeks

    cohort, composed, weeks = run(work, clock=clock_at(now_text))
    data = digest_data(cohort, composed, weeks)
    if as_json:
        echo_json(data)
    else:
        click.echo(digest_text(data))


@digest_group.command("post")
@click.option("--cohort", "cohort_name", metavar="NAME", help="Which cohort (default: the only active one).")
@click.option("--week", type=int, help="Week number (default: the latest digest due).")
@NOW_OPTION
@report_options
def post_command(cohort_name: str | None, week: int | None, now_text: str | None, quiet: bool, as_json: bool) -> None:
    """Post a week's digest again (for organizers): a new message, the scheduled one is left alone."""
    report = Report("digest post", "posting the digest", quiet=quiet, as_json=as_json)

    async def work(runtime: Runtime) -> tuple[Cohort, int, list[Posted]]:
        require(runtime.settings, "slack_bot_token")
        db, now = runtime.db, runtime.clock.now()
        async with db.session() as session:
            cohort = await pick_cohort(session, None, cohort_name)
            chosen = week if week is not None else _default_week(cohort, now, posting=True)
            await compose_digest(session, cohort, chosen)  # validates the week and the share channel first
            key = await repost_key(session, cohort, chosen)
        client = runtime.client_for(cohort.team_id)
        try:
            await catch_up(db, client, team_id=cohort.team_id, channel_id=cohort.share_channel_id or "", now=now,
                           sleep=runtime.sleep, since=window_start(cohort, chosen))
            posted = await post_digest(db, client, cohort=cohort, week=chosen, key=key, now=now, sleep=runtime.sleep,
                                       progress=report.step)
        except SlackApiError as error:
            raise StudyError(f"Slack refused: {error.response.get('error')} (nothing more was posted)") from None
        return cohort, chosen, posted

    cohort, chosen, posted = run(work, clock=clock_at(now_text))
    report.finish(Summary([f'posted week {chosen} digest of "{cohort.name}" to {posted[0].channel_id} '
                           f"(ts {posted[0].ts}, {len(posted) - 1} thread repl{'y' if len(posted) == 2 else 'ies'})"],
                          details={"cohort": cohort.name, "week": chosen, "channel": posted[0].channel_id,
                                   "ts": [p.ts for p in posted]}))


def digest_data(cohort: Cohort, composed: WeekDigest, weeks: dict[str, int | None]) -> dict[str, Any]:
    digest = composed.digest
    posts = []
    shown = len(shown_posts(digest))
    for rank, post in enumerate(digest.ranked, start=1):
        engagement = engagement_of(post)
        posts.append({
            "rank": rank, "ts": post.ts, "week": weeks.get(post.ts), "author": post.user_id,
            "title": _plain(title_of(post)), "permalink": post.permalink, "score": engagement.score,
            "people": engagement.people, "reactions": engagement.reactions, "replies": engagement.replies,
            "shown": rank <= shown,
        })
    return {
        "cohort": cohort.name,
        "week": digest.week,
        "window": {"from": composed.window.start.isoformat() if composed.window.start else None,
                   "to": composed.window.end.isoformat()},
        "post_count": digest.post_count,
        "sharer_count": digest.sharer_count,
        "first_timers": digest.first_timers,
        "posts": posts,
    }


def digest_text(data: dict[str, Any]) -> str:
    since = data["window"]["from"] or "the start"
    lines = [
        f'{data["cohort"]} — share-your-work digest, week {data["week"]} '
        f'(posts from {since} to {data["window"]["to"]})',
        f'{counted(data["post_count"], "post")} from {counted(data["sharer_count"], "person", "people")}',
    ]
    if data["first_timers"]:
        lines.append("first-time sharers: " + ", ".join(data["first_timers"]))
    if not data["posts"]:
        lines.append("no posts this week")
    for post in data["posts"]:
        link = f' {post["permalink"]}' if post["permalink"] else ""
        lines.append(f'{post["rank"]:>4}. {post["title"]} — {post["author"]} — score {post["score"]:g} '
                     f'({counted(post["people"], "person", "people")}, {counted(post["reactions"], "reaction")},'
                     f' {counted(post["replies"], "reply", "replies")}){link}')
    return "\n".join(lines)


def _default_week(cohort: Cohort, now: datetime, posting: bool) -> int:
    rhythm = rhythm_of(cohort)
    due = latest_due_week(rhythm, cohort.digest_hours_before, now)
    if due is not None:
        return due
    if posting:
        first = digest_due_at(rhythm, 1, cohort.digest_hours_before)
        raise StudyError(f'No digest of "{cohort.name}" is due yet (the first is at {first.isoformat()}); '
                         "pass --week N to post one early.")
    return last_opened_week(rhythm, now) or 1


def _plain(mrkdwn: str) -> str:
    for entity, char in _UNESCAPE:
        mrkdwn = mrkdwn.replace(entity, char)
    return mrkdwn


def register(cli: click.Group) -> None:
    cli.add_command(digest_group)
