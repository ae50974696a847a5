"""`GET /healthz`: is this process able to do its work? Served on PORT in HTTP and Socket Mode alike.

Healthy means: the database answers, Socket Mode (when used) is connected, and the scheduler has
ticked recently (a process whose scheduler died would otherwise look fine while posting nothing).
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.clock import Clock
from bot.database import Database


@dataclass
class HealthCheck:
    db: Database
    clock: Clock
    started_at: datetime
    tick_seconds: int
    last_tick_at: Callable[[], datetime | None]
    socket_connected: Callable[[], Awaitable[bool]] | None = None  # None: HTTP mode

    @property
    def tick_allowance(self) -> float:
        """Three missed ticks (at least 90 s) before the scheduler counts as stuck."""
        return max(3.0 * self.tick_seconds, 90.0)

    async def report(self) -> tuple[bool, dict[str, Any]]:
        now = self.clock.now()
        database = await self.db.ping()
        socket = None if self.socket_connected is None else await self.socket_connected()
        last = self.last_tick_at()
        since = (now - (last or self.started_at)).total_seconds()
        ticking = since <= self.tick_allowance
        healthy = database and socket is not False and ticking
        problems = [p for p, bad in (("database unreachable", not database),
                                     ("socket mode disconnected", socket is False),
                                     ("scheduler stalled", not ticking)) if bad]
        return healthy, {
            "status": "ok" if healthy else ", ".join(problems),
            "database": database,
            "socket_mode": "not used" if socket is None else ("connected" if socket else "disconnected"),
            "last_tick_age_seconds": None if last is None else round((now - last).total_seconds(), 1),
        }
