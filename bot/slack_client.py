"""The Slack Web API client every part of the bot uses.

slack_sdk's client already speaks the API; what we add is a retry policy that
honours `Retry-After` on 429 and backs off (with jitter) on transient 5xx and
connection errors, sleeping with `asyncio.sleep` (never blocking the event loop).

A method that *creates* something (a post, a channel) is retried only when Slack
certainly did not act: a 429, or a connection that never opened. After a timeout,
a dropped connection or a 5xx Slack may have acted; the caller sees the error
(`unclear_outcome` says so) and looks before trying again (`bot.outbound.post_once`).

Every call of a client made here first waits its turn in the runtime's `Pacer` (bot/pacing.py:
Slack's tiers per workspace and method, one post a second per channel), so a fan-out stays within
the limits instead of collecting 429s; a 429 seen anyway makes the pacer back off for that method.

Sleep and randomness are injected so tests check the waits without waiting.
"""
from __future__ import annotations

import asyncio
import logging
import random as random_module
from collections.abc import Callable
from typing import Any, cast

from aiohttp import ClientConnectorError, ClientOSError, ServerConnectionError, ServerDisconnectedError
from pydantic import SecretStr
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.clock import Sleep
from bot.pacing import Pacer
from bot.settings import secret

log = logging.getLogger(__name__)

TRANSIENT_STATUS = {500, 502, 503, 504}
CONNECTION_ERRORS = (ServerConnectionError, ServerDisconnectedError, ClientOSError, asyncio.TimeoutError)
# Methods whose repetition repeats the effect: a second post, a second channel, a second modal.
NOT_IDEMPOTENT = frozenset({
    "chat.postMessage", "chat.postEphemeral", "chat.scheduleMessage", "chat.meMessage", "conversations.create",
    "views.open", "views.push", "files.upload", "files.completeUploadExternal",
})
Random = Callable[[], float]  # uniform in [0, 1)


class PoliteRetryHandler(AsyncRetryHandler):
    """Retries 429 after exactly `Retry-After` seconds; 5xx/connection errors with jittered backoff,
    for a method that creates something only when the request never left."""

    def __init__(self, max_retry_count: int = 5, sleep: Sleep = asyncio.sleep, max_backoff: float = 30.0,
                 random: Random = random_module.random, pacer: Pacer | None = None):
        super().__init__(max_retry_count=max_retry_count)
        self.sleep = sleep
        self.max_backoff = max_backoff
        self.random = random
        self.pacer = pacer  # told of every 429 (Bolt copies this handler into its per-request clients)

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is not None and response.status_code == 429:
            return True
        if isinstance(error, ClientConnectorError):  # the connection never opened: nothing was sent
            return True
        if method_of(request) in NOT_IDEMPOTENT:
            return False
        if response is not None:
            return response.status_code in TRANSIENT_STATUS
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
        wait = self.wait_seconds(state.current_attempt, response)
        if self.pacer is not None and response is not None and response.status_code == 429:
            self.pacer.back_off(token_of(request), method_of(request), wait)
        await self.sleep(wait)
        state.increment_current_attempt()

    def wait_seconds(self, attempt: int, response: HttpResponse | None) -> float:
        """Retry-After exactly; otherwise exponential backoff, capped, with "equal jitter"
        (half fixed, half random) so replicas that failed together don't retry together."""
        if response is not None and response.status_code == 429:
            # HttpResponse wraps every header value in a list, though its annotation allows a str
            return retry_after_seconds(cast(dict[str, list[str]], response.headers))
        backoff = min(self.max_backoff, 0.5 * (2**attempt))
        return backoff / 2 + backoff / 2 * self.random()


def method_of(request: HttpRequest) -> str:
    return request.url.rstrip("/").rsplit("/", 1)[-1]


def token_of(request: HttpRequest) -> str:
    """The bearer token a request carries: the pacer's name for its workspace."""
    for name, values in (request.headers or {}).items():
        for value in values if isinstance(values, list) else [values]:  # slack_sdk keeps each as a list
            if name.lower() == "authorization" and str(value).startswith("Bearer "):
                return str(value)[len("Bearer "):]
    return ""


class PacedClient(AsyncWebClient):
    """An AsyncWebClient whose every call first waits its turn in `pacer` (None: no pacing)."""

    def __init__(self, *, pacer: Pacer | None = None, **client_args: Any) -> None:
        super().__init__(**client_args)
        self.pacer = pacer

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:
        if self.pacer is not None:
            await self.pacer.wait(self.token or "", api_method, channel_of(kwargs))
        return await super().api_call(api_method, **kwargs)


def channel_of(call_args: dict[str, Any]) -> str | None:
    """The `channel` argument of a call, wherever slack_sdk put it (JSON body, form, query)."""
    for part in ("json", "data", "params"):
        args = call_args.get(part)
        if isinstance(args, dict) and args.get("channel"):
            return str(args["channel"])
    return None


def unclear_outcome(error: BaseException) -> bool:
    """True when Slack may have acted on a call that raised (a timeout, a dropped connection, a 5xx)."""
    if isinstance(error, SlackApiError):
        status = getattr(error.response, "status_code", 200)
        return status in TRANSIENT_STATUS or error.response.get("error") in ("internal_error", "fatal_error")
    return isinstance(error, CONNECTION_ERRORS) and not isinstance(error, ClientConnectorError)


def retry_after_seconds(headers: dict[str, list[str]]) -> float:
    for name, values in headers.items():
        if name.lower() == "retry-after" and values:
            try:
                return max(0.0, float(values[0]))
            except ValueError:
                break
    return 1.0


def make_client(token: SecretStr | str | None, base_url: str, sleep: Sleep = asyncio.sleep,
                random: Random = random_module.random, timeout: int = 30, pacer: Pacer | None = None) -> PacedClient:
    return PacedClient(
        pacer=pacer,
        token=secret(token),
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[PoliteRetryHandler(sleep=sleep, random=random, pacer=pacer)],
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


# (API base URL, token, channel) → "https://<workspace>/archives/<channel>/": learnt once per channel.
_CHANNEL_LINK_PREFIXES: dict[tuple[str, str | None, str], str] = {}


def p_ts(ts: str) -> str:
    """The last part of a top-level message's permalink: `p` and the ts without its dot."""
    return "p" + ts.replace(".", "")


def link_prefix_of(permalink: str, channel_id: str, ts: str) -> str | None:
    """`…/archives/<channel>/` when Slack answered in the documented top-level shape, else None."""
    suffix = f"/{channel_id}/{p_ts(ts)}"
    return permalink[: -len(p_ts(ts))] if permalink.endswith(suffix) else None


async def top_level_permalink(client: AsyncWebClient, channel: str, ts: str) -> str | None:
    """A top-level message's permalink without a Web API call once the channel's link prefix is known.

    A top-level permalink is ``…/archives/<channel>/p<ts without the dot>``: the
    first `chat.getPermalink` in a channel teaches this process the prefix, so a
    busy `/study progress` or App Home asks Slack nothing in its ack path.
    """
    key = (client.base_url, client.token, channel)
    if (prefix := _CHANNEL_LINK_PREFIXES.get(key)) is not None:
        return prefix + p_ts(ts)
    permalink = await permalink_or_none(client, channel, ts)
    if permalink is not None and (prefix := link_prefix_of(permalink, channel, ts)) is not None:
        _CHANNEL_LINK_PREFIXES[key] = prefix
    return permalink
