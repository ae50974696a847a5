"""The weekly digest over the database: which posts, their permalinks, and posting it exactly once.

The main message goes to the cohort channel with ``post_once``; the overflow
goes in its thread, each part with its own key, so a crash half-way through
resumes where it stopped instead of posting the digest twice.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted, mentioned_user_ids
from bot.clock import Sleep
from bot.cohorts.store import rhythm_of
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort, OutboundMessage
from bot.outbound import Posted, post_once, posted_or_busy
from bot.progress import Progress, advance
from bot.share.catchup import catch_up
from bot.share.digest_timing import DigestWindow, digest_window
from bot.share.posts import SharedPost
from bot.share.ranking import Digest, build_digest, first_line
from bot.share.store import earlier_sharers, save_permalinks
from bot.share.tallies import scored_posts_in_window, with_contents
from bot.share.views import MAX_FOLLOW_UPS, POSTS_PER_FOLLOW_UP, TOP_POSTS_IN_MAIN, render_digest
from bot.slack_client import link_prefix_of, p_ts, permalink_or_none

log = logging.getLogger(__name__)

MAX_SHOWN = TOP_POSTS_IN_MAIN + MAX_FOLLOW_UPS * POSTS_PER_FOLLOW_UP
POST_PACING_SECONDS = 1.0  # about one message a second per channel
MAX_NAME_LOOKUPS = 100  # users.info is tier 4; past this, a mention reads "a member"


@dataclass(frozen=True)
class WeekDigest:
    cohort_id: int
    cohort_name: str
    window: DigestWindow
    digest: Digest


async def compose_digest(session: AsyncSession, cohort: Cohort, week: int) -> WeekDigest:
    """Build week ``week``'s digest from the record; StudyError for a week the cohort doesn't have."""
    if not cohort.share_channel_id:
        raise StudyError(f'Cohort "{cohort.name}" has no share channel; set one with --share-channel.')
    if not 1 <= week <= cohort.weeks:
        raise StudyError(f'--week is a week number from 1 to {cohort.weeks} for cohort "{cohort.name}".')
    window = digest_window(rhythm_of(cohort), week, cohort.digest_hours_before)
    posts, scores = await scored_posts_in_window(session, cohort.team_id, cohort.share_channel_id, window)
    earlier = await earlier_sharers(session, cohort.team_id, window.start)
    digest = build_digest(week, posts, earlier, scores)
    # Ranked from their counts; only the shown posts are given their text, links and title, to be rendered.
    shown = await with_contents(session, cohort.team_id, cohort.share_channel_id, digest.ranked[:MAX_SHOWN])
    return WeekDigest(cohort.id, cohort.name, window,
                      dataclasses.replace(digest, ranked=shown + digest.ranked[MAX_SHOWN:]))


async def with_permalinks(
    db: Database, client: AsyncWebClient, team_id: str, channel_id: str, digest: Digest
) -> Digest:
    """Give the posts the digest shows their permalinks, with as few chat.getPermalink calls as possible.

    A top-level permalink is ``…/archives/<channel>/p<ts without the dot>``: one
    call gives the workspace's prefix and the others follow from their ts. If
    Slack ever answers in another shape, each shown post gets its own call.
    Found permalinks are stored, so a re-post calls nothing.
    """
    shown = digest.ranked[:MAX_SHOWN]
    missing = [post for post in shown if not post.permalink]
    if not missing:
        return digest
    found: dict[str, str] = {}
    prefix: str | None = None
    for post in missing:
        if prefix is not None:
            found[post.ts] = f"{prefix}{p_ts(post.ts)}"
            continue
        permalink = await permalink_or_none(client, channel_id, post.ts)
        if permalink is None:
            continue
        found[post.ts] = permalink
        prefix = link_prefix_of(permalink, channel_id, post.ts)
    async with db.session() as session:
        await save_permalinks(session, team_id, channel_id, found)
    ranked = [dataclasses.replace(post, permalink=found[post.ts]) if post.ts in found else post
              for post in digest.ranked]  # only the shown ones are copied, not 10,000
    return dataclasses.replace(digest, ranked=ranked)


async def with_names(client: AsyncWebClient, digest: Digest) -> Digest:
    """Give the digest the names of the people its shown titles mention, so it re-posts names, not pings."""
    wanted = list(dict.fromkeys(user_id for post in shown_posts(digest) if not (post.title and post.title.strip())
                                for user_id in mentioned_user_ids(first_line(post.text))))
    names: dict[str, str] = {}
    for user_id in wanted[:MAX_NAME_LOOKUPS]:
        try:
            user = (await client.users_info(user=user_id))["user"]
        except SlackApiError as error:
            log.info("no name for %s in the digest: %s", user_id, error.response.get("error"))
            continue
        profile = user.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name")
        if name:
            names[user_id] = name
    return dataclasses.replace(digest, names=names) if names else digest


async def post_digest(
    db: Database,
    client: AsyncWebClient,
    *,
    cohort: Cohort,
    week: int,
    key: str,
    now: datetime,
    sleep: Sleep,
    progress: Progress | None = None,
) -> list[Posted]:
    """Compose, render and post the digest under ``key`` (main) and ``key:partN`` (thread replies).

    ``progress(done, total)`` hears of each message posted."""
    async with db.session() as session:
        composed = await compose_digest(session, cohort, week)
    digest = await with_permalinks(db, client, cohort.team_id, cohort.share_channel_id or "", composed.digest)
    digest = await with_names(client, digest)
    messages = render_digest(digest, cohort.name)
    posted: list[Posted] = []
    main = posted_or_busy(await post_once(db, client, team_id=cohort.team_id, key=f"{key}:main",
                                          channel=cohort.channel_id, text=messages[0]["text"],
                                          blocks=messages[0]["blocks"], now=now), f"posting digest {key}")
    posted.append(main)
    await advance(progress, 1, len(messages))
    for part, message in enumerate(messages[1:], start=1):
        if posted[-1].fresh:
            await sleep(POST_PACING_SECONDS)
        reply = await post_once(db, client, team_id=cohort.team_id, key=f"{key}:part{part}",
                                channel=cohort.channel_id, thread_ts=main.ts, text=message["text"],
                                blocks=message["blocks"], now=now)
        posted.append(posted_or_busy(reply, f"posting digest {key}:part{part}"))
        await advance(progress, len(posted), len(messages))
    return posted


async def post_scheduled_digest(
    db: Database, client: AsyncWebClient, *, cohort_id: int, week: int, now: datetime, sleep: Sleep
) -> str:
    """The digest job: read the share channel once more, then post week ``week``'s digest exactly once.

    A failed read still posts: a digest of what the events told us is better than none.
    """
    async with db.session() as session:
        cohort = await session.get(Cohort, cohort_id)
    if cohort is None or not cohort.share_channel_id:
        return "cohort or share channel gone; nothing posted"
    try:
        caught_up = (await catch_up(db, client, team_id=cohort.team_id, channel_id=cohort.share_channel_id,
                                    now=now, sleep=sleep, since=window_start(cohort, week))).line()
    except SlackApiError as error:
        log.warning("share catch-up before the digest failed: %s", error.response.get("error"))
        caught_up = f"catch-up failed ({error.response.get('error')})"
    posted = await post_digest(db, client, cohort=cohort, week=week, key=scheduled_key(cohort, week),
                               now=now, sleep=sleep)
    return f"{caught_up}; {digest_summary(posted)}"


def window_start(cohort: Cohort, week: int) -> datetime:
    """Where week ``week``'s digest starts counting (the cohort's creation for the first week)."""
    start = digest_window(rhythm_of(cohort), week, cohort.digest_hours_before).start
    return start if start is not None else cohort.created_at


def scheduled_key(cohort: Cohort, week: int) -> str:
    return f"share-digest:c{cohort.id}:w{week}"


async def repost_key(session: AsyncSession, cohort: Cohort, week: int) -> str:
    """A fresh key for an organizer's re-post: the scheduled key with the next re-post number."""
    base = scheduled_key(cohort, week)
    keys = await session.scalars(
        select(OutboundMessage.key).where(OutboundMessage.team_id == cohort.team_id,
                                          OutboundMessage.key.like(f"{base}:r%:main"))
    )
    numbers = [int(match.group(1)) for key in keys if (match := re.fullmatch(rf"{re.escape(base)}:r(\d+):main", key))]
    return f"{base}:r{max(numbers, default=0) + 1}"


def digest_summary(posted: Sequence[Posted]) -> str:
    fresh = sum(1 for item in posted if item.fresh)
    return f"digest in {posted[0].channel_id} at {posted[0].ts}: {counted(len(posted), 'message')}, {fresh} new"


def shown_posts(digest: Digest) -> list[SharedPost]:
    """The posts the rendered digest lists (the rest are counted, not listed)."""
    return digest.ranked[:MAX_SHOWN]
