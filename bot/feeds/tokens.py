"""The secret in a feed's URL: unguessable (`secrets.token_urlsafe`), shown once, stored only as its sha256.

One live token per member per cohort and one per cohort (`feed_tokens`, unique on cohort and member); a reset
replaces the fingerprint in place, so the old URL answers 404 from that moment. Because only the fingerprint
is kept, a URL cannot be shown a second time: asking again says when it was issued and how to get a new one.
"""
from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.feeds.version import token_digest
from bot.models.feeds import FeedToken
from bot.store import insert_ignore

TOKEN_BYTES = 32  # 43 URL-safe characters, 256 bits
FALLBACK_HOST = "studybot.invalid"  # events' UIDs without STUDYBOT_PUBLIC_URL (never a real host)


@dataclass(frozen=True)
class Issued:
    """A feed's URL: `token` is set only when it was made just now (it is shown once); else when it was."""

    token: str | None
    created_at: datetime
    replaced: bool = False  # a live URL was replaced (it stops working)


async def issue(session: AsyncSession, team_id: str, cohort_id: int, user_id: str, now: datetime, *,
                replace: bool = False) -> Issued:
    """The feed's token: a new one when there is none (or `replace`), else when the live one was issued."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    digest = token_digest(token)
    if await insert_ignore(session, FeedToken, {"team_id": team_id, "cohort_id": cohort_id, "user_id": user_id,
                                                "token_hash": digest, "created_at": now}):
        return Issued(token, now)
    if replace:
        await session.execute(update(FeedToken).where(
            FeedToken.team_id == team_id, FeedToken.cohort_id == cohort_id, FeedToken.user_id == user_id,
        ).values(token_hash=digest, created_at=now, version=None, changed_at=None))
        return Issued(token, now, replaced=True)
    created = await issued_at(session, team_id, cohort_id, user_id)
    assert created is not None, "the insert found the row"
    return Issued(None, created)


async def issued_at(session: AsyncSession, team_id: str, cohort_id: int, user_id: str) -> datetime | None:
    """When the feed's live URL was issued; None when it has none."""
    return await session.scalar(select(FeedToken.created_at).where(
        FeedToken.team_id == team_id, FeedToken.cohort_id == cohort_id, FeedToken.user_id == user_id))


def feed_urls(public_url: str, token: str) -> tuple[str, str]:
    """(https URL, webcal URL) of the feed `token` opens, under the bot's public address."""
    https = f"{public_url}/calendar/{token}.ics"
    return https, "webcal://" + https.split("://", 1)[1]


def uid_host(public_url: str | None) -> str:
    """The domain part of events' UIDs: the bot's public host, so UIDs are stable and globally unique."""
    return (urlsplit(public_url).hostname or FALLBACK_HOST) if public_url else FALLBACK_HOST
