"""Slack's rate limits, enforced when a test or benchmark asks for them (`SlackEmulator.enforce_limits`).

Per workspace (the team of the call's token) and method, by the method's tier in methods.json —
Tier 1: 1 a minute, Tier 2: 20, Tier 3: 50, Tier 4: 100 — and for `chat.postMessage` ("special"):
1 a second per channel ("short bursts above 1 allowed": we allow 2) plus a workspace-wide limit Slack
documents as "several hundred messages per minute": 300 here. Other special methods (auth.test,
chat.getPermalink, oauth.v2.access) are not limited.

Each limit is a GCRA bucket: the sustained rate plus a burst (a tenth of a minute's calls, at least 2;
Slack allows bursts without publishing their size). A call over a limit is answered 429 with
Retry-After (seconds, fractional when scaled) and changes nothing. `scale` runs time faster: ×20 makes
Tier 2 20 calls per 3 seconds.
"""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

TIER_PER_MINUTE = {"t1": 1, "t2": 20, "t3": 50, "t4": 100}
POST = "chat.postMessage"
POSTS_PER_CHANNEL_PER_MINUTE = 60
POSTS_PER_WORKSPACE_PER_MINUTE = 300
CHANNEL_BURST = 2


def burst_of(per_minute: int) -> int:
    return max(2, per_minute // 10)


@dataclass
class _Bucket:
    interval: float
    burst: int
    tat: float = 0.0

    def refusal(self, now: float) -> float:
        """0 when a call may go now, else the seconds until it may."""
        return max(0.0, self.tat - (self.burst - 1) * self.interval - now)

    def take(self, now: float) -> None:
        self.tat = max(self.tat, now) + self.interval


class RateLimits:
    def __init__(self, spec: dict[str, Any], scale: float = 1.0, now: Callable[[], float] = time.monotonic) -> None:
        self.spec, self.scale, self.now = spec, scale, now
        self._buckets: dict[tuple[str, ...], _Bucket] = {}
        self.refused: Counter[tuple[str, str]] = Counter()  # (team, method) → 429s answered
        self.accepted: Counter[tuple[str, str]] = Counter()

    def allowed_per_second(self, method: str) -> float | None:
        """The sustained rate of `method` in one workspace (scaled); for posts, the workspace-wide one."""
        if method == POST:
            return POSTS_PER_WORKSPACE_PER_MINUTE / 60 * self.scale
        per_minute = TIER_PER_MINUTE.get(self.spec.get(method, {}).get("rate_limit_tier", ""))
        return per_minute / 60 * self.scale if per_minute else None

    def burst(self, method: str) -> int:
        return burst_of(POSTS_PER_WORKSPACE_PER_MINUTE if method == POST else
                        TIER_PER_MINUTE.get(self.spec.get(method, {}).get("rate_limit_tier", ""), 0))

    def _bucket(self, key: tuple[str, ...], per_minute: int, burst: int) -> _Bucket:
        if key not in self._buckets:
            self._buckets[key] = _Bucket(60.0 / per_minute / self.scale, burst)
        return self._buckets[key]

    def check(self, team: str, method: str, channel: str | None) -> float | None:
        """None when the call may go (and it is counted), else the Retry-After to answer with its 429."""
        buckets = []
        if method == POST:
            buckets.append(self._bucket((team, "posts"), POSTS_PER_WORKSPACE_PER_MINUTE,
                                        burst_of(POSTS_PER_WORKSPACE_PER_MINUTE)))
            if channel:
                buckets.append(self._bucket((team, "channel", channel), POSTS_PER_CHANNEL_PER_MINUTE, CHANNEL_BURST))
        elif per_minute := TIER_PER_MINUTE.get(self.spec.get(method, {}).get("rate_limit_tier", "")):
            buckets.append(self._bucket((team, method), per_minute, burst_of(per_minute)))
        now = self.now()
        wait = max((b.refusal(now) for b in buckets), default=0.0)
        if wait > 1e-9:  # sums of intervals are not exact in floats
            self.refused[(team, method)] += 1
            return wait
        for bucket in buckets:
            bucket.take(now)
        self.accepted[(team, method)] += 1
        return None

    def count_429(self, method: str | None = None) -> int:
        return sum(n for (_, m), n in self.refused.items() if method in (None, m))


def retry_after_header(seconds: float) -> str:
    """Slack sends whole seconds; scaled time needs fractions (never 0, which would mean "now")."""
    return str(max(1, round(seconds))) if seconds >= 1 else f"{max(seconds, 0.001):.3f}"
