"""The pacer keeps each workspace within each method's tier and posts within one a second per channel,
with an injected clock: the waits are checked, never waited."""
from __future__ import annotations

import asyncio
import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.clock import FixedClock
from bot.pacing import (
    METHOD_TIERS,
    POSTS_PER_WORKSPACE_PER_MINUTE,
    TIER_PER_MINUTE,
    Pacer,
    Timeline,
    burst_of,
)
from bot.slack_client import channel_of

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = json.loads((ROOT / "tests" / "fixtures" / "slack" / "methods.json").read_text())["methods"]


class Waits:
    """A frozen clock and a sleep that records: the Timeline moves on by what was slept."""

    def __init__(self) -> None:
        self.slept: list[float] = []
        self.timeline = Timeline(FixedClock(datetime(2026, 1, 5, 12, tzinfo=UTC)), self.sleep)

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        await asyncio.sleep(0)  # let the other senders run, as a real wait would

    def since_start(self) -> float:
        return self.timeline.now()


def test_the_bots_tier_table_agrees_with_slacks_method_list():
    for method, tier in METHOD_TIERS.items():
        documented = FIXTURE[method]["rate_limit_tier"]
        assert tier == ("special" if documented == "t5" else documented), method


def test_every_method_the_bot_calls_has_a_tier():
    names = {name.replace(".", "_"): name for name in FIXTURE}
    called = set()
    for package in ("bot", "handlers", "schedules"):
        for path in (ROOT / package).rglob("*.py"):
            called |= {names[m] for m in re.findall(r"\.(\w+)\(", path.read_text()) if m in names}
    called |= {"files.getUploadURLExternal", "files.completeUploadExternal"}  # files_upload_v2
    assert called - set(METHOD_TIERS) == set()
    assert "chat.postMessage" in called and "conversations.create" in called  # the scan finds calls


async def test_a_tier_2_method_goes_once_every_three_seconds_after_its_burst():
    waits = Waits()
    pacer = Pacer(waits.timeline)
    for _ in range(4):
        await pacer.wait("xoxb-a", "conversations.create")
    assert burst_of(TIER_PER_MINUTE["t2"]) == 1
    assert waits.slept == [3.0, 3.0, 3.0]
    assert waits.since_start() == pytest.approx(9.0)


async def test_a_burst_goes_at_once_then_the_sustained_rate():
    waits = Waits()
    pacer = Pacer(waits.timeline)
    for _ in range(7):
        await pacer.wait("xoxb-a", "views.publish")  # Tier 4: 100 a minute, a burst of 5
    assert waits.slept == pytest.approx([0.6, 0.6])


async def test_workspaces_and_methods_are_paced_apart():
    waits = Waits()
    pacer = Pacer(waits.timeline)
    await pacer.wait("xoxb-a", "conversations.create")
    await pacer.wait("xoxb-b", "conversations.create")  # another workspace
    await pacer.wait("xoxb-a", "conversations.archive")  # another method
    await pacer.wait("xoxb-a", "auth.test")  # special: not paced
    await pacer.wait("xoxb-a", "auth.test")
    assert waits.slept == []
    await pacer.wait("xoxb-a", "conversations.create")
    assert waits.slept == [3.0]


async def test_posts_go_one_a_second_per_channel():
    waits = Waits()
    pacer = Pacer(waits.timeline)
    for _ in range(4):
        await pacer.wait("xoxb-a", "chat.postMessage", "C1")
    assert waits.slept == [1.0, 1.0, 1.0]
    await pacer.wait("xoxb-a", "chat.postMessage", "C2")  # another channel: at once
    assert waits.slept == [1.0, 1.0, 1.0]


async def test_posts_to_many_channels_keep_to_the_workspace_limit():
    waits = Waits()
    pacer = Pacer(waits.timeline)
    await asyncio.gather(*(pacer.wait("xoxb-a", "chat.postMessage", f"D{n}") for n in range(100)))
    burst = burst_of(POSTS_PER_WORKSPACE_PER_MINUTE)
    assert burst == 15
    # 300 a minute: after the burst, one every 0.2 s — the 100th goes at (100 - 15) × 0.2 s.
    assert max(waits.slept) == pytest.approx((100 - burst) * 0.2)
    assert pacer.waits == 100 - burst and pacer.queued == 0


async def test_a_busy_channel_does_not_hold_up_the_others():
    waits = Waits()
    pacer = Pacer(waits.timeline)
    done: list[str] = []

    async def post(channel: str) -> None:
        await pacer.wait("xoxb-a", "chat.postMessage", channel)
        done.append(channel)

    async def busy() -> None:
        for _ in range(10):
            await post("C-busy")

    await asyncio.gather(busy(), *(post(f"D{n}") for n in range(10)))
    # every other channel went while the busy one waited for its second post
    assert done[:11] == ["C-busy", *(f"D{n}" for n in range(10))]
    assert done[-1] == "C-busy" and waits.since_start() == pytest.approx(9.0)


async def test_scaled_limits_run_faster():
    waits = Waits()
    pacer = Pacer(waits.timeline, scale=20)
    for _ in range(3):
        await pacer.wait("xoxb-a", "chat.postMessage", "C1")
    assert waits.slept == pytest.approx([0.05, 0.05])


async def test_a_429_blocks_the_method_in_that_workspace_for_retry_after():
    waits = Waits()
    pacer = Pacer(waits.timeline)
    pacer.back_off("xoxb-a", "views.publish", 30)
    await pacer.wait("xoxb-b", "views.publish")  # another workspace is not held up
    assert waits.slept == []
    await pacer.wait("xoxb-a", "views.publish")
    await pacer.wait("xoxb-a", "views.publish")  # and then the sustained rate, not a burst
    assert waits.slept == pytest.approx([30.0, 0.6])


async def test_a_post_after_a_429_waits_for_retry_after():
    waits = Waits()
    pacer = Pacer(waits.timeline)
    pacer.back_off("xoxb-a", "chat.postMessage", 2)
    await pacer.wait("xoxb-a", "chat.postMessage", "C9")
    assert waits.slept == [2.0]


async def test_the_timeline_moves_on_by_what_was_slept_but_follows_the_clock():
    clock = FixedClock(datetime(2026, 1, 5, 12, tzinfo=UTC))
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    timeline = Timeline(clock, record)
    start = timeline.now()
    await timeline.sleep(2.5)
    assert timeline.now() == start + 2.5 and slept == [2.5]
    clock.advance(seconds=60)  # a clock that moves (a real one) is followed
    assert timeline.now() == start + 60


def test_the_channel_is_found_wherever_slack_sdk_put_it():
    assert channel_of({"json": {"channel": "C1", "text": "x"}}) == "C1"
    assert channel_of({"params": {"channel": "C2"}}) == "C2"
    assert channel_of({"data": {"channel": "C3"}}) == "C3"
    assert channel_of({"json": {"user": "U1"}}) is None


async def test_idle_buckets_are_forgotten_so_memory_stays_bounded(monkeypatch):
    import bot.pacing

    monkeypatch.setattr(bot.pacing, "FORGET_AT", 50)
    waits = Waits()
    pacer = Pacer(waits.timeline)
    for n in range(200):
        await pacer.wait("xoxb-a", "chat.postMessage", f"D{n}")
    assert len(pacer._buckets) <= 51
    await pacer.wait("xoxb-a", "chat.postMessage", "D199")  # its channel's bucket is kept while it matters
    assert waits.slept[-1] == pytest.approx(1.0)


async def test_a_failed_send_lets_the_others_finish_then_raises_as_itself():
    from bot.pacing import fan_out

    finished: list[int] = []

    async def send(n: int) -> int:
        await asyncio.sleep(0)
        if n == 2:
            raise ValueError("channel_not_found")
        finished.append(n)
        return n

    with pytest.raises(ValueError):
        await fan_out(range(6), send, at_once=3)
    assert sorted(finished) == [0, 1, 3, 4, 5]
    assert await fan_out([5, 4, 3], send, at_once=2) == [5, 4, 3]  # results in the items' order
