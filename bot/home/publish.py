"""The member's Home view, gathered and drawn: what the `app_home_opened` listener publishes."""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.database import Database
from bot.home.dashboard import gather_home
from bot.home.views import render_home

log = logging.getLogger(__name__)


async def home_view(db: Database, client: AsyncWebClient | None, *, team_id: str, user_id: str, now: datetime,
                    command: str) -> dict[str, Any]:
    """The view to publish; never raises, so the member always gets at least the welcome, not a blank tab."""
    home = await gather_home(db, team_id=team_id, user_id=user_id, now=now, client=client)
    try:
        return render_home(command, home)
    except Exception:  # noqa: BLE001 - a rendering bug still leaves the member a welcome
        log.exception("home: could not render the home of %s/%s", team_id, user_id)
        return render_home(command)
