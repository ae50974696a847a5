"""The cohort's own feed, for organizers: `studybot cohort calendar NAME [--new] [--post]` and `cohort show`.

The URL is shown when it is made (and posted in the cohort's channel with `--post`); studybot keeps only
its fingerprint, so asking again says when it was issued, and `--new` replaces it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database import Database
from bot.errors import StudyError
from bot.feeds import views
from bot.feeds.tokens import feed_urls, issue, issued_at
from bot.models import Cohort
from bot.models.feeds import COHORT_FEED
from bot.outbound import post_once

NEEDS_PUBLIC_URL = ("set STUDYBOT_PUBLIC_URL to the address calendar apps reach the bot at (e.g. "
                    "https://studybot.example.org, forwarded to its PORT) first; nothing was changed")


@dataclass(frozen=True)
class CohortFeed:
    """The outcome: `urls` (https, webcal) when a URL was made now; else when the live one was issued."""

    urls: tuple[str, str] | None
    issued_at: datetime
    posted: bool = False


async def cohort_feed(db: Database, client: AsyncWebClient | None, cohort: Cohort, now: datetime, *,
                      public_url: str | None, new: bool = False, post: bool = False) -> CohortFeed:
    """Make the cohort feed's URL (or a new one), posting it in the cohort's channel when asked."""
    if public_url is None:
        raise StudyError(NEEDS_PUBLIC_URL)
    async with db.session() as session:
        if post and not new and await issued_at(session, cohort.team_id, cohort.id, COHORT_FEED) is not None:
            raise StudyError("the feed's URL was given out already and studybot keeps only its fingerprint: "
                             "--new --post makes a new one and posts it (subscribers of the old one subscribe again)")
        issued = await issue(session, cohort.team_id, cohort.id, COHORT_FEED, now, replace=new)
    if issued.token is None:
        return CohortFeed(None, issued.created_at)
    urls = feed_urls(public_url, issued.token)
    if post:
        if client is None:
            raise StudyError(f"the URL is {urls[0]} — but posting it needs SLACK_BOT_TOKEN (or an installed workspace)")
        await post_once(db, client, team_id=cohort.team_id, channel=cohort.channel_id, now=now,
                        key=f"feeds:cohort-url:{cohort.id}:{int(now.timestamp())}",
                        **views.cohort_feed_post(cohort.name, *urls))
    return CohortFeed(urls, issued.created_at, posted=post)


async def cohort_feed_line(session: AsyncSession, cohort: Cohort) -> str:
    """One line for `studybot cohort show`."""
    issued = await issued_at(session, cohort.team_id, cohort.id, COHORT_FEED)
    if issued is None:
        return f"calendar feed: none yet — studybot cohort calendar {cohort.name} [--post]"
    return (f"calendar feed: issued {issued:%Y-%m-%d %H:%M} UTC (only its fingerprint is kept) — "
            f"studybot cohort calendar {cohort.name} --new [--post] replaces it")
