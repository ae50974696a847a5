"""The Bolt app: signature checks, de-duplication, our context, then the listeners."""
from __future__ import annotations

import logging
import time
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped, warning_token_skipped
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse
from sqlalchemy.exc import DBAPIError

import handlers
from bot.inbound import Inbox, track_listeners
from bot.metrics import listener_of
from bot.runtime import Runtime
from bot.settings import secret

log = logging.getLogger(__name__)


def create_app(runtime: Runtime) -> AsyncApp:
    _quiet_token_warnings()
    app = AsyncApp(
        name="studybot",  # without a name Bolt reads it from inspect.stack(): the source of every caller, ~0.2 s
        # The bot token travels in the client, which carries our retry policy and base URL.
        signing_secret=secret(runtime.settings.slack_signing_secret),
        client=runtime.client,
        # The HTTP server checks signatures on the raw bytes before anything is parsed
        # (bot.main.guard); Socket Mode needs none.
        request_verification_enabled=False,
        oauth_settings=runtime.installations.bolt_settings if runtime.installations else None,
    )
    inbox = Inbox(runtime)
    _measure_requests(app, runtime, inbox)  # also the runtime, stopped workspaces and the inbox before the ack

    handlers.register(app, runtime)
    app.error(_answer_without_retry_storm)
    track_listeners(app, inbox)  # last: wraps the error handler registered above
    return app


def _quiet_token_warnings() -> None:
    """Bolt reads SLACK_BOT_TOKEN from the environment even when given a client (ours carries the token and
    our retry policy), then warns at every start that the token "will be unused" — or, in OAuth mode, that
    it is ignored for the installation store. Both are this configuration working as meant: not logged."""
    bolt_logger = logging.getLogger("slack_bolt.AsyncApp")
    if not any(isinstance(f, _DeliberateConfiguration) for f in bolt_logger.filters):
        bolt_logger.addFilter(_DeliberateConfiguration())


class _DeliberateConfiguration(logging.Filter):
    MESSAGES = frozenset({warning_client_prioritized_and_token_skipped(), warning_token_skipped()})

    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() not in self.MESSAGES


async def _answer_without_retry_storm(error: Exception, body: dict[str, Any],
                                     response: BoltResponse | None) -> BoltResponse | None:
    """A listener's bug is logged with its trace and Slack gets a 200, since a 5xx only makes it send the
    same request again. The exception: the database is unreachable before the ack (the request could not
    even be written to the inbox) — a 503 asks Slack to deliver an event again later, when it can be
    recorded, and shows a member who clicked an error. After the ack (`response` is None: Slack has its
    200, there is no answer left to give) the request stays in the inbox and is run again (`bot.inbound`)."""
    unreachable = isinstance(error, (DBAPIError, OSError))
    if unreachable and response is None:
        log.warning("%s failed after its ack: the database is unreachable (%s); it runs again later",
                    describe(body), type(error).__name__)
    elif unreachable:
        log.warning("%s not taken: the database is unreachable (%s); Slack will retry", describe(body),
                    type(error).__name__)
    else:
        log.error("%s failed: %s: %s", describe(body), type(error).__name__, error, exc_info=error)
    if response is None:
        return None
    return BoltResponse(status=503 if unreachable else 200, body="")


def describe(body: Any) -> str:
    """What a payload is, for one log line: `event message`, `/study`, `block_actions`."""
    if not isinstance(body, dict):
        return "unknown"
    event = body.get("event")
    if isinstance(event, dict) and isinstance(event.get("type"), str):
        return f"event {event['type'][:40]}"
    for field in ("command", "type"):
        if isinstance(body.get(field), str):
            return body[field][:40]
    return "unknown"


def _measure_requests(app: AsyncApp, runtime: Runtime, inbox: Inbox) -> None:
    """Count each request and time it to its ack, and log one line for it: no message text, no tokens;
    put the runtime in its context; ignore it when its workspace is stopped; refuse an event when the
    backlog is full, drop a duplicate, and write the request to the inbox before its ack (`Inbox.before_ack`).

    Wraps `async_dispatch` (what the HTTP route, Socket Mode and the inbox's drain call): Bolt returns from
    it as soon as the listener acks, running the rest of the listener as a task, so its duration is the ack
    latency. Done here rather than as Bolt middleware, which costs a keyword-argument injection per request each.
    """
    dispatch = app.async_dispatch

    async def measured(req: AsyncBoltRequest) -> BoltResponse:
        listener, started = listener_of(req.body), time.perf_counter()
        try:
            req.context["runtime"] = runtime
            try:
                if await _from_stopped_workspace(runtime, req):
                    await inbox.after_dispatch(req)  # a request run again from the inbox is done with
                    return BoltResponse(status=200, body="")
                refusal = await inbox.before_ack(req)
                if refusal is not None:
                    return refusal
            except Exception as error:  # answered as a listener's error is (the database down: 503)
                answer = await _answer_without_retry_storm(error, req.body, BoltResponse(status=500, body=""))
                assert answer is not None  # given a response, it always returns one
                return answer
            response = await dispatch(req)
            await inbox.after_dispatch(req)
            return response
        finally:
            elapsed = time.perf_counter() - started
            runtime.metrics.requests.labels(listener).inc()
            runtime.metrics.ack_seconds.labels(listener).observe(elapsed)
            if log.isEnabledFor(logging.INFO):  # the operators' one line per request (README): nothing built when off
                log.info("request %s", listener, extra={
                    "listener": listener, "team_id": req.context.team_id, "event_id": req.body.get("event_id"),
                    "ack_ms": round(elapsed * 1000)})

    app.async_dispatch = measured  # type: ignore[method-assign]  # wrapping Bolt's entry point is the point


async def _from_stopped_workspace(runtime: Runtime, req: AsyncBoltRequest) -> bool:
    """A workspace that uninstalled the app gets no more work done (its own goodbye events still count)."""
    team_id = req.context.team_id
    event = req.body.get("event")
    farewell = isinstance(event, dict) and event.get("type") in ("app_uninstalled", "tokens_revoked")
    if farewell or not team_id or not await runtime.stopped_workspaces.is_stopped(team_id):
        return False
    log.info("ignored a request from stopped workspace %s", team_id)
    return True
