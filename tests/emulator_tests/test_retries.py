"""The bot's Web API client honours Retry-After and retries transient failures, without real waiting."""
from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError


async def test_429_is_retried_after_exactly_retry_after(bot, emulator):
    emulator.fail_next("chat.postMessage", status=429, retry_after=3, times=2)
    response = await bot.runtime.client.chat_postMessage(channel="C0STUDY001", text="hello")
    assert response["ok"]
    assert bot.sleeps == [3.0, 3.0]
    assert len(emulator.calls_to("chat.postMessage")) == 3
    assert len(emulator.posted("C0STUDY001")) == 3  # two refused, one accepted


async def test_5xx_is_retried_with_backoff(bot, emulator):
    emulator.fail_next("users.info", status=503, times=2)
    response = await bot.runtime.client.users_info(user="U1")
    assert response["user"]["id"] == "U1"
    assert bot.sleeps == [0.5, 1.0]


async def test_slack_errors_are_not_retried(bot, emulator):
    emulator.fail_next("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError):
        await bot.runtime.client.chat_postMessage(channel="C0STUDY001", text="hello")
    assert bot.sleeps == []
    assert len(emulator.calls_to("chat.postMessage")) == 1
