"""The inbox: every request Slack gets a 200 for is written down before that 200, and done once.

Slack never delivers an acked interaction again, nor an event it got a 200 for, so what was acked must
survive a crash or a failure after the ack. Each such request is *received* (a `pending` row holding its
payload, in `processed_events`) before its ack — for an event that insert is also its claim: the row
already there means a duplicate delivery — and marked `done` when its listener finished. A row still
`pending` after `PROCESSING_LEASE` (its process died, or its listener failed after the ack) is *taken
over* by the drain, which runs it again (`bot.inbound.drain_inbox`); after `MAX_ATTEMPTS` it is given up.
"""
from __future__ import annotations

import json
import logging
import uuid
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update

from bot.database import Database
from bot.models import ProcessedEvent
from bot.store import insert_ignore, rowcount

log = logging.getLogger(__name__)

KEEP_EVENTS_FOR = timedelta(days=3)
# Far longer than a listener takes, even behind a full backlog; the drain runs every minute.
PROCESSING_LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 5  # the first delivery and four replays, two minutes apart at least


@dataclass(frozen=True)
class Receipt:
    """The inbox row of one acked request: `key` is the event_id of an event, a generated id otherwise."""

    team_id: str
    key: str


@dataclass(frozen=True)
class Received:
    receipt: Receipt
    kind: str
    body: dict[str, Any]


def new_key() -> str:
    return f"req-{uuid.uuid4().hex}"


async def receive(db: Database, requests: Sequence[Received], now: datetime) -> list[bool]:
    """Write the requests down in one transaction; for each, False when its key was there (a duplicate)."""
    fresh = []
    async with db.session() as session:
        for request in requests:
            fresh.append(await insert_ignore(session, ProcessedEvent, {
                "team_id": request.receipt.team_id, "event_id": request.receipt.key, "received_at": now,
                "status": "pending", "kind": request.kind, "body": json.dumps(request.body), "attempts": 1}))
    return fresh


async def mark_done(db: Database, receipts: Sequence[Receipt]) -> list[None]:
    """One transaction for the requests finished together (an update per workspace)."""
    keys_by_team = defaultdict(list)
    for receipt in receipts:
        keys_by_team[receipt.team_id].append(receipt.key)
    async with db.session() as session:
        for team_id, keys in keys_by_team.items():
            await session.execute(update(ProcessedEvent).where(
                ProcessedEvent.team_id == team_id, ProcessedEvent.event_id.in_(keys)).values(status="done", body=None))
    return [None] * len(receipts)


async def take_over_stale(db: Database, now: datetime, limit: int = 200) -> list[Received]:
    """The pending requests whose lease ran out, each taken by this caller alone (compare-and-set on
    `received_at`, so two replicas draining at once run each once); those out of attempts are given up."""
    async with db.session() as session:
        stale = list(await session.scalars(select(ProcessedEvent).where(
            ProcessedEvent.status == "pending", ProcessedEvent.received_at < now - PROCESSING_LEASE,
        ).order_by(ProcessedEvent.received_at, ProcessedEvent.id).limit(limit)))  # in the order they came
    taken = []
    for row in stale:
        given_up = row.attempts >= MAX_ATTEMPTS
        async with db.session() as session:
            result = await session.execute(update(ProcessedEvent).where(
                ProcessedEvent.id == row.id, ProcessedEvent.status == "pending",
                ProcessedEvent.received_at == row.received_at,
            ).values(received_at=now, attempts=row.attempts + 1,
                     **({"status": "failed", "body": None} if given_up else {})))
        if not rowcount(result):
            continue
        if given_up:
            log.error("gave up %s %s after %d attempts", row.kind, row.event_id, row.attempts)
        else:
            taken.append(Received(Receipt(row.team_id, row.event_id), row.kind or "", json.loads(row.body or "{}")))
    return taken


class ConsumersFailed(Exception):
    """Some consumers of one inbound message failed; the request stays pending and is run again."""


async def hand_to_consumers(consumers: Sequence[Callable[..., Awaitable[None]]], *args: Any) -> None:
    """Hand one inbound item to every consumer; one failure doesn't starve the others, but is reported."""
    failed = []
    for consumer in consumers:
        try:
            await consumer(*args)
        except Exception:  # logged here, raised below once all consumers had their turn
            log.exception("consumer %s failed", consumer.__name__)
            failed.append(consumer.__name__)
    if failed:
        raise ConsumersFailed(", ".join(failed))


async def forget_old_events(db: Database, now: datetime) -> int:
    """Slack retries for at most a few hours, and a pending request is given up within minutes; older
    ids are dead weight."""
    async with db.session() as session:
        result = await session.execute(
            delete(ProcessedEvent).where(ProcessedEvent.received_at < now - KEEP_EVENTS_FOR)
        )
        return rowcount(result)
