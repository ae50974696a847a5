"""The Slack Web API client every part of the bot uses.

slack_sdk's client already speaks the API; what we add is a retry policy that
honours `Retry-After` on 429 and backs off on transient 5xx and connection
errors, sleeping with `asyncio.sleep` (never blocking the event loop). The sleep
is injectable so tests can check the waits without waiting.
"""
from __future__ import annotations

import asyncio
import logging

from aiohttp import ClientOSError, ServerConnectionError, ServerDisconnectedError
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Sleep

log = logging.getLogger(__name__)

TRANSIENT_STATUS = {500, 502, 503, 504}
CONNECTION_ERRORS = (ServerConnectionError, ServerDisconnectedError, ClientOSError, asyncio.TimeoutError)


class PoliteRetryHandler(AsyncRetryHandler):
    """Retries 429 after exactly `Retry-After` seconds, and 5xx/connection errors with backoff."""

    def __init__(self, max_retry_count: int = 5, sleep: Sleep = asyncio.sleep, max_backoff: float = 30.0):
        super().__init__(max_retry_count=max_retry_count)
        self.sleep = sleep
        self.max_backoff = max_backoff

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None:
            return response.status_code == 429 or response.status_code in TRANSIENT_STATUS
        return isinstance(error, CONNECTION_ERRORS)

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        state.next_attempt_requested = True
        await self.sleep(self.wait_seconds(state.current_attempt, response))
        state.increment_current_attempt()

    def wait_seconds(self, attempt: int, response: HttpResponse | None) -> float:
        if response is not None and response.status_code == 429:
            return retry_after_seconds(response.headers)
        return min(self.max_backoff, 0.5 * (2**attempt))


def retry_after_seconds(headers: dict[str, list[str]]) -> float:
    for name, values in headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except ValueError:
                break
    return 1.0


def make_client(token: str | None, base_url: str, sleep: Sleep = asyncio.sleep) -> AsyncWebClient:
    return AsyncWebClient(
        token=token,
        base_url=base_url,
        timeout=30,
        retry_handlers=[PoliteRetryHandler(sleep=sleep)],
    )


async def permalink_or_none(client: AsyncWebClient, channel: str, ts: str) -> str | None:
    """A message's permalink, or None when Slack can't give one (deleted, no access):
    callers name the message without a link rather than fail."""
    try:
        response = await client.chat_getPermalink(channel=channel, message_ts=ts)
    except SlackApiError as error:
        log.warning("no permalink for %s %s: %s", channel, ts, error.response.get("error"))
        return None
    return response.get("permalink")
