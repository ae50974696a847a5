"""The bot's Web API client honours Retry-After and retries transient failures, without real waiting;
a method that creates something is retried only when Slack certainly did not act."""
from __future__ import annotations

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError

from bot.slack_client import PoliteRetryHandler, make_client, unclear_outcome


async def test_429_is_retried_after_exactly_retry_after(bot, emulator):
    emulator.fail_next("chat.postMessage", status=429, retry_after=3, times=2)
    response = await bot.runtime.client.chat_postMessage(channel="C0STUDY001", text="hello")
    assert response["ok"]
    assert bot.sleeps == [3.0, 3.0]
    assert len(emulator.calls_to("chat.postMessage")) == 3
    assert len(emulator.posted("C0STUDY001")) == 3  # two refused, one accepted


async def test_5xx_is_retried_with_backoff_for_a_read(bot, emulator):
    emulator.fail_next("users.info", status=503, times=2)
    response = await bot.runtime.client.users_info(user="U1")
    assert response["user"]["id"] == "U1"
    assert bot.sleeps == [0.5, 1.0]


async def test_a_5xx_on_a_post_is_not_retried_because_slack_may_have_posted(bot, emulator):
    emulator.accept_then_fail("chat.postMessage", status=503)
    with pytest.raises(SlackApiError) as raised:
        await bot.runtime.client.chat_postMessage(channel="C0STUDY001", text="hello")
    assert unclear_outcome(raised.value)
    assert bot.sleeps == []
    assert len(emulator.calls_to("chat.postMessage")) == 1
    assert len(emulator.workspace.channels["C0STUDY001"].messages) == 1  # it did post


async def test_a_dropped_connection_on_create_is_not_retried(bot, emulator):
    emulator.accept_then_fail("conversations.create", disconnect=True)
    with pytest.raises(aiohttp.ClientError) as raised:
        await bot.runtime.client.conversations_create(name="study-group-1")
    assert unclear_outcome(raised.value)
    assert len(emulator.calls_to("conversations.create")) == 1
    assert bot.sleeps == []


async def test_a_post_is_retried_when_the_connection_never_opened():
    sleeps: list[float] = []

    async def record(seconds: float) -> None:
        sleeps.append(seconds)

    client = make_client("xoxb-x", "http://127.0.0.1:9/api/", sleep=record, random=lambda: 0.0, timeout=2)
    with pytest.raises(aiohttp.ClientConnectorError) as raised:
        await client.chat_postMessage(channel="C1", text="hello")
    assert not unclear_outcome(raised.value)
    assert sleeps == [0.25, 0.5, 1.0, 2.0, 4.0]  # five retries, jitter at its minimum: half the backoff


def test_backoff_jitter_spreads_between_half_and_the_whole_step():
    values = iter([0.0, 0.5, 0.999])
    handler = PoliteRetryHandler(random=lambda: next(values))
    assert [handler.wait_seconds(3, None) for _ in range(3)] == [2.0, 3.0, pytest.approx(3.998)]
    assert PoliteRetryHandler(random=lambda: 1.0).wait_seconds(10, None) == 30.0  # capped


async def test_slack_errors_are_not_retried(bot, emulator):
    emulator.fail_next("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError):
        await bot.runtime.client.chat_postMessage(channel="C0STUDY001", text="hello")
    assert bot.sleeps == []
    assert len(emulator.calls_to("chat.postMessage")) == 1


async def test_a_429_seen_by_any_client_makes_the_pacer_back_off(bot, emulator):
    """Bolt's per-request clients copy the retry handlers: their 429s reach the runtime's pacer too."""
    from slack_sdk.web.async_client import AsyncWebClient

    from tests.harness import BOT_TOKEN

    told: list[tuple[str, str, float]] = []
    back_off = bot.runtime.pacer.back_off
    bot.runtime.pacer.back_off = lambda *args: (told.append(args), back_off(*args))  # type: ignore[method-assign]
    per_request = AsyncWebClient(token=BOT_TOKEN, base_url=emulator.url,
                                 retry_handlers=bot.runtime.client.retry_handlers.copy())
    emulator.fail_next("views.publish", status=429, retry_after=7)
    await per_request.views_publish(user_id="U1", view={"type": "home", "blocks": []})
    assert told == [(BOT_TOKEN, "views.publish", 7.0)]
    assert bot.sleeps == [7.0]
