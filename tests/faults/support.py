"""Fault injection shared by the fault scenarios: a database that refuses work, and Slack's redelivery."""
from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

from sqlalchemy.exc import OperationalError

from bot.database import Database


class Outage:
    """While `down`, every unit of work on `db` fails the way a locked SQLite or a lost PostgreSQL fails.

    `allow_next(n)` lets the next n units of work through first (e.g. the event claim, so the
    failure lands inside the listener). No sleeping: the test moves the clock.
    """

    def __init__(self, db: Database) -> None:
        self.down = False
        self.refused = 0
        self._allowance = 0
        original = db.session

        @asynccontextmanager
        async def session() -> AsyncIterator:  # type: ignore[type-arg]
            if self.down and self._allowance <= 0:
                self.refused += 1
                raise OperationalError("INSERT …", {}, Exception("database is locked"))
            self._allowance -= 1
            async with original() as opened:
                yield opened

        db.session = session  # type: ignore[method-assign]

    def allow_next(self, count: int) -> None:
        self._allowance = count


@dataclass
class Delivery:
    """One event as Slack delivers it: retried after a failed or slow answer (immediately, +1 min, +5 min)."""

    event: dict
    event_id: str
    attempts: int = 0
    statuses: list[int] = field(default_factory=list)


RETRY_DELAYS_SECONDS = (0, 60, 300)  # Slack's schedule: three retries


def without_fsync(db: Database) -> None:
    """SQLite without fsync (test speed only: these scenarios are about the bot's logic, not the disk).

    Call before the first query: the pragma applies to connections opened afterwards.
    """
    from sqlalchemy import event

    if db.url.startswith("sqlite"):
        event.listen(db.engine.sync_engine, "connect", _no_fsync)


def _no_fsync(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.close()
