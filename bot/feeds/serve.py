"""`GET /calendar/<token>.ics`: a feed, a 304 when the client has it already, or a bare 404.

A 404 says nothing more for an unknown, reset or malformed token, or one whose cohort is not its workspace's:
no hint tells a guesser how close they were. ETag is the feed's version (bot/feeds/version.py);
Last-Modified is when that version was first served. If-None-Match wins over If-Modified-Since (RFC 9110).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database import Database
from bot.feeds.build import write_calendar
from bot.feeds.content import feed_content
from bot.feeds.tokens import uid_host
from bot.feeds.version import Found, find_feed
from bot.models import Cohort
from bot.models.feeds import FeedToken
from bot.store import get_known

_TOKEN = re.compile(r"([A-Za-z0-9_-]{20,100})\.ics")
CONTENT_TYPE = "text/calendar; charset=utf-8"
CACHE_CONTROL = "private, max-age=300"  # a feed names its member: no shared cache keeps it


@dataclass(frozen=True)
class FeedReply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


NOT_FOUND = FeedReply(404, b"Not found", {"Content-Type": "text/plain; charset=utf-8"})


async def calendar_reply(db: Database, name: str, *, public_url: str | None, if_none_match: str | None,
                         if_modified_since: str | None) -> FeedReply:
    """The answer to `GET /calendar/<name>` with the request's conditional headers."""
    match = _TOKEN.fullmatch(name)
    if match is None:
        return NOT_FOUND
    async with db.session() as session:
        found = await find_feed(session, match.group(1))
        if found is None:
            return NOT_FOUND
        changed_at = found.changed_at
        if found.version != found.stored_version or changed_at is None:
            changed_at = db.clock.now().replace(microsecond=0)
            await session.execute(update(FeedToken).where(FeedToken.id == found.token_id).values(
                version=found.version, changed_at=changed_at))
        headers = {"ETag": f'"{found.version[:32]}"', "Last-Modified": format_datetime(changed_at, usegmt=True),
                   "Cache-Control": CACHE_CONTROL}
        if _unchanged(headers["ETag"], changed_at, if_none_match, if_modified_since):
            return FeedReply(304, b"", headers)
        body = await _feed(session, found, changed_at, public_url)
    return FeedReply(200, body, {"Content-Type": CONTENT_TYPE, **headers})


def _unchanged(etag: str, changed_at: datetime, if_none_match: str | None, if_modified_since: str | None) -> bool:
    if if_none_match is not None:
        wanted = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
        return etag in wanted or "*" in wanted
    if if_modified_since is None:
        return False
    try:
        since = parsedate_to_datetime(if_modified_since)
    except (TypeError, ValueError):
        return False
    return since.tzinfo is not None and changed_at <= since


async def _feed(session: AsyncSession, found: Found, changed_at: datetime, public_url: str | None) -> bytes:
    cohort = await get_known(session, Cohort, found.cohort_id)
    content = await feed_content(session, cohort, found.user_id, uid_host(public_url))
    return write_calendar(content.name, content.events, changed_at)
