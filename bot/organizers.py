"""Who may run organizer actions: a cohort's organizers, and workspace admins and owners."""
from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from bot.models import Cohort

UserLookup = Callable[[str, str], Awaitable[dict]]  # (team_id, user_id) -> users.info "user"
ADMIN_CACHE_SECONDS = 300.0


class OrganizerCheck:
    """Caches admin/owner flags briefly: they rarely change, and users.info is rate-limited."""

    def __init__(self, lookup: UserLookup, ttl: float = ADMIN_CACHE_SECONDS,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._lookup = lookup
        self._ttl = ttl
        self._monotonic = monotonic
        self._cache: dict[tuple[str, str], tuple[float, bool]] = {}

    async def allows(self, team_id: str, user_id: str, cohort: Cohort | None) -> bool:
        if cohort is not None and user_id in (cohort.organizers or []):
            return True
        return await self.is_workspace_admin(team_id, user_id)

    async def is_workspace_admin(self, team_id: str, user_id: str) -> bool:
        key = (team_id, user_id)
        cached = self._cache.get(key)
        if cached and self._monotonic() - cached[0] < self._ttl:
            return cached[1]
        user = await self._lookup(team_id, user_id)
        allowed = bool(user.get("is_admin") or user.get("is_owner") or user.get("is_primary_owner"))
        self._cache[key] = (self._monotonic(), allowed)
        return allowed


REFUSAL = "Sorry, only this cohort's organizers and workspace admins can do that. Nothing was changed."
