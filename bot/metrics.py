"""Prometheus metrics of one running bot, served at `GET /metrics` in HTTP and Socket Mode alike.

One registry per Runtime (not prometheus_client's global one), so tests that run several bots in one
process each see their own numbers. Web API calls are counted by a retry handler that never retries:
slack_sdk consults every client's retry handlers on every response, and Bolt copies them into the
per-request clients, so every call is seen whichever client made it.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any
from urllib.parse import urlparse

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState
from sqlalchemy import func, select

from bot.database import Database
from bot.models import OutboundMessage

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter("studybot_requests", "Requests from Slack, by listener", ["listener"],
                                registry=self.registry)
        self.ack_seconds = Histogram("studybot_ack_seconds", "Time from receiving a request to acknowledging it",
                                     ["listener"], buckets=ACK_BUCKETS, registry=self.registry)
        self.events_deduplicated = Counter("studybot_events_deduplicated", "Redelivered events dropped",
                                           registry=self.registry)
        self.api_calls = Counter("studybot_slack_api_calls", "Web API responses, by method", ["method"],
                                 registry=self.registry)
        self.api_errors = Counter("studybot_slack_api_errors", "Web API calls answered ok=false, 5xx or not at all",
                                  ["method", "error"], registry=self.registry)
        self.api_rate_limited = Counter("studybot_slack_api_rate_limited", "Web API 429 responses, by method",
                                        ["method"], registry=self.registry)
        self.jobs = Counter("studybot_jobs", "Scheduled occurrences handled, by job and outcome",
                            ["job", "outcome"], registry=self.registry)
        self.outbound_queue = Gauge("studybot_outbound_queue_depth", "Outbound posts not sent yet, by status",
                                    ["status"], registry=self.registry)
        # The pacer (bot/pacing.py): calls waiting for their turn now, and the waits since the start.
        self.calls_waiting = Gauge("studybot_slack_calls_waiting", "Web API calls waiting for their turn (pacing)",
                                   registry=self.registry)
        self.paced_calls = Gauge("studybot_slack_paced_calls", "Web API calls that waited for their turn, since start",
                                 registry=self.registry)
        self.paced_seconds = Gauge("studybot_slack_paced_seconds", "Seconds Web API calls waited for their turn",
                                   registry=self.registry)
        self.last_tick = Gauge("studybot_last_tick_timestamp_seconds", "When the scheduler last ticked",
                               registry=self.registry)
        self.last_tick_at: datetime | None = None

    def watch_pacer(self, pacer: Any) -> None:
        """Read the pacer's figures at scrape time."""
        self.calls_waiting.set_function(lambda: pacer.queued)
        self.paced_calls.set_function(lambda: pacer.waits)
        self.paced_seconds.set_function(lambda: pacer.waited)

    def record_tick(self, results: Iterable[Any], at: datetime) -> None:
        """A tick's `TickResult`s: each occurrence's outcome (ran / skipped / failed) per job."""
        for result in results:
            self.jobs.labels(result.job, result.outcome).inc()
        self.last_tick_at = at
        self.last_tick.set(at.timestamp())

    async def render(self, db: Database) -> bytes:
        """The exposition text; the outbound queue depth is read from the database at scrape time."""
        async with db.session() as session:
            depth = dict((await session.execute(
                select(OutboundMessage.status, func.count()).where(OutboundMessage.status != "sent")
                .group_by(OutboundMessage.status)
            )).all())
        for status in ("pending", "failed"):
            self.outbound_queue.labels(status).set(depth.get(status, 0))
        return generate_latest(self.registry)


class WebApiMetrics(AsyncRetryHandler):
    """Counts every Web API response; never asks for a retry (the bot's real retry policy comes after it)."""

    def __init__(self, metrics: Metrics) -> None:
        super().__init__(max_retry_count=0)
        self.metrics = metrics

    async def can_retry_async(self, *, state: RetryState, request: HttpRequest,
                              response: HttpResponse | None = None, error: Exception | None = None) -> bool:
        method = api_method(request.url)
        self.metrics.api_calls.labels(method).inc()
        if response is None:
            self.metrics.api_errors.labels(method, type(error).__name__ if error else "no_response").inc()
        elif response.status_code == 429:
            self.metrics.api_rate_limited.labels(method).inc()
        elif response.status_code >= 500:
            self.metrics.api_errors.labels(method, f"http_{response.status_code}").inc()
        elif isinstance(response.body, dict) and response.body.get("ok") is False:
            self.metrics.api_errors.labels(method, str(response.body.get("error", "unknown"))[:40]).inc()
        return False


def api_method(url: str) -> str:
    """`https://slack.com/api/chat.postMessage` → `chat.postMessage`; file upload URLs → `upload`."""
    path = urlparse(url).path
    return path.rsplit("/api/", 1)[1] if "/api/" in path else "upload"


def listener_of(body: dict[str, Any]) -> str:
    """A low-cardinality name for what a request asks: `event:message`, `command:/study`, `action:<id>`, `view:<id>`."""
    kind = body.get("type")
    if kind == "event_callback":
        return f"event:{(body.get('event') or {}).get('type', '?')}"
    if body.get("command"):
        return f"command:{body['command']}"
    if kind == "block_actions":
        actions = body.get("actions") or [{}]
        return f"action:{actions[0].get('action_id', '?')}"
    if kind in ("view_submission", "view_closed"):
        return f"view:{(body.get('view') or {}).get('callback_id', '?')}"
    return str(kind or "other")
