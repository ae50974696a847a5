"""Inbound event de-duplication: Slack redelivers, we act once."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete

from bot.database import Database
from bot.models import ProcessedEvent
from bot.store import insert_ignore

KEEP_EVENTS_FOR = timedelta(days=3)


async def claim_event(db: Database, team_id: str, event_id: str, now: datetime) -> bool:
    """True the first time an event id is seen for a workspace, False on every redelivery."""
    async with db.session() as session:
        return await insert_ignore(
            session, ProcessedEvent, {"team_id": team_id, "event_id": event_id, "received_at": now}
        )


async def forget_old_events(db: Database, now: datetime) -> int:
    """Slack retries for at most a few hours; older ids are dead weight."""
    async with db.session() as session:
        result = await session.execute(
            delete(ProcessedEvent).where(ProcessedEvent.received_at < now - KEEP_EVENTS_FOR)
        )
        return result.rowcount or 0
