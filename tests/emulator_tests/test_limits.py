"""The emulator enforces Slack's rate limits when asked: per workspace and method by tier, and posts
per channel and per workspace — answering 429 with Retry-After, changing nothing, counting the 429s."""
from __future__ import annotations

import aiohttp
import pytest

from tests.emulator.limits import RateLimits, retry_after_header
from tests.emulator.server import SPEC
from tests.harness import BOT_TOKEN


class Now:
    def __init__(self) -> None:
        self.value = 1000.0

    def __call__(self) -> float:
        return self.value


async def call(emulator, method: str, args: dict, token: str = BOT_TOKEN) -> tuple[int, dict, str | None]:
    async with aiohttp.ClientSession() as session:
        async with session.post(emulator.url + method, json=args, headers={"Authorization": f"Bearer {token}"}) as r:
            return r.status, await r.json(), r.headers.get("Retry-After")


async def test_off_unless_asked(emulator):
    for _ in range(10):
        assert (await call(emulator, "conversations.create", {"name": f"g-{_}"}))[0] == 200


async def test_a_tier_2_method_is_refused_past_its_burst_until_its_rate_allows(emulator):
    now = Now()
    limits = emulator.enforce_limits(now=now)
    assert [(await call(emulator, "conversations.create", {"name": f"g-{n}"}))[0] for n in range(3)] == [200, 200, 429]
    status, body, retry_after = await call(emulator, "conversations.create", {"name": "g-x"})
    assert (status, body["error"], retry_after) == (429, "ratelimited", "3")  # 20 a minute: one every 3 s
    assert "g-x" not in {c.name for c in emulator.workspace.channels.values()}  # a refused call changes nothing
    now.value += 3.0
    assert (await call(emulator, "conversations.create", {"name": "g-y"}))[0] == 200
    assert limits.count_429() == 2 and limits.count_429("conversations.create") == 2
    assert limits.accepted[("T0STUDY01", "conversations.create")] == 3


async def test_posts_are_limited_per_channel_and_other_channels_still_go(emulator):
    now = Now()
    emulator.enforce_limits(now=now)
    statuses = [(await call(emulator, "chat.postMessage", {"channel": "C0STUDY001", "text": "x"}))[0] for _ in range(3)]
    assert statuses == [200, 200, 429]  # one a second, a burst of two
    assert (await call(emulator, "chat.postMessage", {"channel": "U1", "text": "dm"}))[0] == 200
    now.value += 1.0
    assert (await call(emulator, "chat.postMessage", {"channel": "C0STUDY001", "text": "x"}))[0] == 200


async def test_posts_are_limited_per_workspace_across_channels(emulator):
    now = Now()
    limits = emulator.enforce_limits(now=now)
    for n in range(40):
        emulator.workspace.add_user(f"UM{n:03d}")
    statuses = [(await call(emulator, "chat.postMessage", {"channel": f"UM{n:03d}", "text": "hi"}))[0]
                for n in range(40)]
    assert statuses == [200] * 30 + [429] * 10  # 300 a minute, a burst of 30
    assert limits.allowed_per_second("chat.postMessage") == 5.0


async def test_workspaces_are_limited_apart(emulator):
    now = Now()
    emulator.enforce_limits(now=now)
    emulator.add_workspace("T0OTHER01")
    emulator.tokens["xoxb-other"] = "T0OTHER01"
    for _ in range(2):
        assert (await call(emulator, "conversations.list", {}))[0] == 200
    assert (await call(emulator, "conversations.list", {}))[0] == 429
    assert (await call(emulator, "conversations.list", {}, token="xoxb-other"))[0] == 200


def test_scaled_time_and_special_methods():
    now = Now()
    limits = RateLimits(SPEC, scale=20, now=now)
    assert limits.check("T", "users.list", None) is None
    assert limits.check("T", "users.list", None) is None
    assert limits.check("T", "users.list", None) == pytest.approx(0.15)  # 3 s ÷ 20
    assert all(limits.check("T", "auth.test", None) is None for _ in range(1000))  # special: not limited
    assert limits.allowed_per_second("users.list") == pytest.approx(20 / 60 * 20)
    assert retry_after_header(0.15) == "0.150" and retry_after_header(2.6) == "3"


async def test_a_slow_channel_answers_late(emulator):
    emulator.slow_channels["C0STUDY001"] = 0.2
    import time

    started = time.monotonic()
    assert (await call(emulator, "chat.postMessage", {"channel": "C0STUDY001", "text": "x"}))[0] == 200
    assert time.monotonic() - started >= 0.2
