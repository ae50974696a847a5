"""Inbound events: Slack redelivers, we act once — and never lose one.

An event is *claimed* as its listener's first step, after the ack (`processing`, with this worker's
owner token), marked `done` when the listener finished, and *released* (the row
deleted) when it failed, so Slack's next delivery does the work. A claim whose
worker died, or whose release failed because the database was down, is taken
over by a delivery arriving after `PROCESSING_LEASE` (Slack retries after about
one minute and again after five).
"""
from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, update

from bot.database import Database
from bot.models import ProcessedEvent
from bot.store import insert_ignore

log = logging.getLogger(__name__)

KEEP_EVENTS_FOR = timedelta(days=3)
# Shorter than Slack's one-minute retry, far longer than any event listener takes.
PROCESSING_LEASE = timedelta(seconds=50)


@dataclass(frozen=True)
class EventClaim:
    team_id: str
    event_id: str
    owner: str


def new_owner() -> str:
    """A token naming one claim; every later update of the claimed row checks it."""
    return uuid.uuid4().hex


async def claim_event(db: Database, team_id: str, event_id: str, now: datetime) -> EventClaim | None:
    """The claim on a new event (or on one whose previous worker vanished); None for a duplicate."""
    owner = new_owner()
    async with db.session() as session:
        values = {"team_id": team_id, "event_id": event_id, "received_at": now, "status": "processing", "owner": owner}
        if await insert_ignore(session, ProcessedEvent, values):
            return EventClaim(team_id, event_id, owner)
        taken_over = await session.execute(
            update(ProcessedEvent)
            .where(ProcessedEvent.team_id == team_id, ProcessedEvent.event_id == event_id,
                   ProcessedEvent.status == "processing", ProcessedEvent.received_at < now - PROCESSING_LEASE)
            .values(received_at=now, owner=owner)
        )
    return EventClaim(team_id, event_id, owner) if taken_over.rowcount else None


async def finish_event(db: Database, claim: EventClaim, *, succeeded: bool) -> bool:
    """Mark a claimed event done, or release it so a redelivery does the work; False when the database failed.

    Never raises: when the database is still down the claim stays `processing` and
    the lease lets the next delivery take it over.
    """
    where = (ProcessedEvent.team_id == claim.team_id, ProcessedEvent.event_id == claim.event_id,
             ProcessedEvent.owner == claim.owner)
    statement = update(ProcessedEvent).where(*where).values(status="done") if succeeded else delete(ProcessedEvent).where(*where)
    try:
        async with db.session() as session:
            await session.execute(statement)
    except Exception:  # noqa: BLE001 - the lease recovers; the listener's own error was logged already
        log.warning("could not %s event %s; its claim expires in %s",
                    "mark done" if succeeded else "release", claim.event_id, PROCESSING_LEASE)
        return False
    return True


class ConsumersFailed(Exception):
    """Some consumers of one inbound message failed; the event is released for redelivery."""


async def hand_to_consumers(consumers: Sequence[Callable[..., Awaitable[None]]], *args: Any) -> None:
    """Hand one inbound item to every consumer; one failure doesn't starve the others, but is reported."""
    failed = []
    for consumer in consumers:
        try:
            await consumer(*args)
        except Exception:  # noqa: BLE001 - logged here, raised below once all consumers had their turn
            log.exception("consumer %s failed", consumer.__name__)
            failed.append(consumer.__name__)
    if failed:
        raise ConsumersFailed(", ".join(failed))


async def forget_old_events(db: Database, now: datetime) -> int:
    """Slack retries for at most a few hours; older ids are dead weight."""
    async with db.session() as session:
        result = await session.execute(
            delete(ProcessedEvent).where(ProcessedEvent.received_at < now - KEEP_EVENTS_FOR)
        )
        return result.rowcount or 0
