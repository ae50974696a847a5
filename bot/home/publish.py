"""The member's Home view, gathered, drawn and published — only when it changed since the last time."""
from __future__ import annotations

import hashlib
import json
import logging
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from sqlalchemy import select

from bot.database import Database
from bot.home.dashboard import gather_home
from bot.home.views import render_home
from bot.retention.home import with_retention_blocks
from bot.models.home import PublishedHome
from bot.store import insert_ignore

log = logging.getLogger(__name__)


async def home_view(db: Database, client: AsyncWebClient | None, *, team_id: str, user_id: str, now: datetime,
                    command: str) -> dict[str, Any]:
    """The view to publish; never raises, so the member always gets at least the welcome, not a blank tab."""
    home = await gather_home(db, team_id=team_id, user_id=user_id, now=now, client=client)
    try:
        view = render_home(command, home)
    except Exception:  # noqa: BLE001 - a rendering bug still leaves the member a welcome
        log.exception("home: could not render the home of %s/%s", team_id, user_id)
        view = render_home(command)
    return await with_retention_blocks(view, db, team_id, user_id, now)  # reading plan and nudges (issue 12)


async def publish_home(db: Database, client: AsyncWebClient, *, team_id: str, user_id: str, now: datetime,
                       command: str) -> bool:
    """Publish the member's Home unless Slack already shows exactly this view; True when it was published."""
    view = await home_view(db, client, team_id=team_id, user_id=user_id, now=now, command=command)
    digest = hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()
    async with db.session() as session:
        shown = await session.scalar(select(PublishedHome).where(
            PublishedHome.team_id == team_id, PublishedHome.user_id == user_id))
        if shown is not None and shown.view_hash == digest:
            return False
    await client.views_publish(user_id=user_id, view=view)
    async with db.session() as session:
        values = {"team_id": team_id, "user_id": user_id, "view_hash": digest, "published_at": now}
        if not await insert_ignore(session, PublishedHome, values):
            shown = await session.scalar(select(PublishedHome).where(
                PublishedHome.team_id == team_id, PublishedHome.user_id == user_id))
            shown.view_hash, shown.published_at = digest, now
    return True
