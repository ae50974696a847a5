"""Messages to a cohort's organizers about its study groups."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.database import Database
from bot.models import Cohort
from bot.outbound import post_once


async def tell_organizers(db: Database, client: AsyncWebClient, cohort: Cohort, key: str, payload: dict,
                          now: datetime) -> int:
    """A direct message to each organizer (the app's Messages tab); the cohort channel when it has none."""
    recipients: Sequence[str] = cohort.organizers or [cohort.channel_id]
    for recipient in recipients:
        await post_once(db, client, team_id=cohort.team_id, key=f"{key}:{recipient}", channel=recipient, now=now,
                        **payload)
    return len(recipients)
