"""Pacing: each Web API call waits for its turn within Slack's rate limits, instead of being answered 429.

Slack limits calls per workspace and per method by tier — Tier 1: 1 a minute, Tier 2: 20, Tier 3: 50,
Tier 4: 100 — and `chat.postMessage` specially: about one message a second per channel, plus a
workspace-wide limit Slack describes as "several hundred messages per minute" (we keep to 300).
The pacer holds one bucket per (workspace, method), one per (workspace, channel) for posts and one per
workspace for all posts; a call goes when every bucket it needs has room (GCRA: a sustained rate plus a
small burst, so a person's two or three calls in a row never wait). A workspace is known by its token.
A 429 blocks that workspace's method for its Retry-After (`back_off`), whichever client saw it.
Bolt's per-request clients (a listener answering a person) are not paced, but their 429s reach the pacer.

Time is injected: `Timeline` reads the runtime clock and sleeps with the runtime's sleep, and counts what
it slept, so a frozen test clock still moves forward by the waits (tests check waits without waiting).
`scale` > 1 runs the limits faster, for an emulator that enforces them scaled in time (benchmarks).
"""
from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import TypeVar

from bot.clock import Clock, Sleep, SystemClock

TIER_PER_MINUTE = {"t1": 1, "t2": 20, "t3": 50, "t4": 100}
# The tier of each method the bot calls (Slack's method pages; tests/fixtures/slack/methods.json agrees).
# "special" methods are not paced, except chat.postMessage (below).
METHOD_TIERS = {
    "auth.test": "special", "chat.getPermalink": "special", "chat.postMessage": "special",
    "chat.update": "t3", "chat.delete": "t3", "chat.postEphemeral": "t4",
    "conversations.archive": "t2", "conversations.create": "t2", "conversations.list": "t2",
    "conversations.history": "t3", "conversations.info": "t3", "conversations.invite": "t3",
    "conversations.join": "t3", "conversations.kick": "t3", "conversations.open": "t3",
    "conversations.replies": "t3", "reactions.add": "t3", "users.list": "t2", "users.info": "t4",
    "views.open": "t4", "views.publish": "t4", "views.update": "t4",
    "files.getUploadURLExternal": "t4", "files.completeUploadExternal": "t4",
}
POST = "chat.postMessage"
POSTS_PER_CHANNEL_PER_MINUTE = 60
POSTS_PER_WORKSPACE_PER_MINUTE = 300
FORGET_AT = 10_000  # buckets kept before the idle ones are dropped
# A bulk sender keeps this many sends in flight: enough to keep a workspace at its post limit while some
# channels wait their second, few enough for the database's pool.
SENDS_AT_ONCE = 8
T = TypeVar("T")
R = TypeVar("R")


def burst_of(per_minute: int) -> int:
    """How many calls may go at once before the sustained rate applies: three seconds' worth, at least one.
    (Slack allows bursts without saying how large; the emulator allows twice this. A channel gets none.)"""
    return max(1, per_minute // 20)


class Timeline:
    """Seconds that never go backwards and move on by every sleep taken through it."""

    def __init__(self, clock: Clock | None = None, sleep: Sleep = asyncio.sleep) -> None:
        self.clock: Clock = clock if clock is not None else SystemClock()
        self._sleep = sleep
        self._origin = self.clock.now().timestamp()  # seconds since the start: small floats stay precise
        self._floor = 0.0

    def now(self) -> float:
        return max(self.clock.now().timestamp() - self._origin, self._floor)

    async def sleep(self, seconds: float) -> None:
        until = self.now() + max(0.0, seconds)
        await self._sleep(seconds)
        self._floor = max(self._floor, until)


@dataclass
class Bucket:
    """GCRA: one call every `interval` seconds sustained, up to `burst` at once."""

    interval: float
    burst: int
    tat: float = 0.0  # theoretical arrival time of the next call at the sustained rate

    def earliest(self, now: float) -> float:
        return max(now, self.tat - (self.burst - 1) * self.interval)

    def take(self, at: float) -> None:
        self.tat = max(self.tat, at) + self.interval


class Pacer:
    def __init__(self, timeline: Timeline | None = None, scale: float = 1.0) -> None:
        self.timeline = timeline or Timeline()
        self.scale = scale
        self._buckets: dict[tuple[str, str], Bucket] = {}
        self._blocked: dict[tuple[str, str], float] = defaultdict(float)
        self.waits = 0  # calls that had to wait, and for how long in all (metrics, tests)
        self.waited = 0.0
        self.queued = 0  # calls waiting now

    def _bucket(self, key: tuple[str, str], per_minute: int, burst: int | None = None) -> Bucket:
        bucket = self._buckets.get(key)
        if bucket is None:
            if len(self._buckets) >= FORGET_AT:
                self._forget_idle()
            bucket = self._buckets[key] = Bucket(60.0 / per_minute / self.scale, burst or burst_of(per_minute))
        return bucket

    def _shared(self, workspace: str, method: str) -> list[Bucket]:
        if method == POST:
            return [self._bucket((workspace, "posts"), POSTS_PER_WORKSPACE_PER_MINUTE)]
        per_minute = TIER_PER_MINUTE.get(METHOD_TIERS.get(method, "special"))
        return [self._bucket((workspace, method), per_minute)] if per_minute else []

    def _forget_idle(self) -> None:
        """Drop buckets with nothing reserved ahead (a fresh bucket behaves the same): one per DM adds up."""
        now = self.timeline.now()
        self._buckets = {key: bucket for key, bucket in self._buckets.items() if bucket.tat > now}

    async def wait(self, workspace: str, method: str, channel: str | None = None) -> float:
        """Wait until `method` may be called in `workspace` (and, for a post, in `channel`); the seconds waited.

        A post first queues in its own channel (reserving that channel's next slot: only the channel's own
        posts wait behind it), then takes the workspace's next slot once it is ready to go, so a busy channel
        never reserves workspace slots far ahead and holds up the other channels."""
        waited = 0.0
        self.queued += 1
        try:
            lane = self._bucket((workspace, f"channel:{channel}"), POSTS_PER_CHANNEL_PER_MINUTE, burst=1) \
                if method == POST and channel else None
            if lane is not None:
                slot = lane.earliest(self.timeline.now())
                lane.take(slot)
                waited += await self._until(slot)
            now = self.timeline.now()
            shared = self._shared(workspace, method)
            slot = max([now, self._blocked[(workspace, method)], *(b.earliest(now) for b in shared)])
            for bucket in shared:
                bucket.take(slot)
            if lane is not None:
                lane.tat = max(lane.tat, slot + lane.interval)  # the channel's next post counts from this one
            waited += await self._until(slot)
        finally:
            self.queued -= 1
        if waited > 0:
            self.waits += 1
            self.waited += waited
        return waited

    async def _until(self, moment: float) -> float:
        delay = moment - self.timeline.now()
        if delay <= 1e-6:  # float seconds since 1970 are this coarse: no wait
            return 0.0
        await self.timeline.sleep(delay)
        return delay

    def back_off(self, workspace: str, method: str, seconds: float) -> None:
        """Slack answered 429: nobody calls `method` in `workspace` for `seconds` (the caller retries after them)."""
        until = self.timeline.now() + seconds
        self._blocked[(workspace, method)] = max(self._blocked[(workspace, method)], until)
        for bucket in self._shared(workspace, method):
            # and then at the sustained rate, not in a burst
            bucket.tat = max(bucket.tat, until + (bucket.burst - 1) * bucket.interval)


async def fan_out(items: Iterable[T], send: Callable[[T], Awaitable[R]], at_once: int = SENDS_AT_ONCE) -> list[R]:
    """`send` each item, `at_once` at a time, the results in the items' order: a send waiting for its
    channel (or a slow answer) holds up one of the senders, not the queue.

    A failed send does not cancel the others (a post cut off half-way would leave its claim pending for
    minutes): every send finishes, then the first error is raised as itself, as a plain loop would."""
    gate = asyncio.Semaphore(at_once)

    async def one(item: T) -> R:
        async with gate:
            return await send(item)

    return await gather_all(one(item) for item in items)


async def gather_all(work: Iterable[Awaitable[R]]) -> list[R]:
    """Run all of `work` to its end; the results in order, or the first error once all have finished."""
    results = await asyncio.gather(*work, return_exceptions=True)
    done: list[R] = []
    for result in results:
        if isinstance(result, BaseException):
            raise result
        done.append(result)
    return done
