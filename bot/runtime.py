"""Everything a running bot shares: settings, database, clock, Slack client, organizer check.

Built once by `studybot serve` / `tick` (or by a test) and handed to handlers
through Bolt's context and to jobs through `JobContext`.
"""
from __future__ import annotations

import asyncio
import random as random_module
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient

from bot.alerts import tell_organizers
from bot.clock import Clock, Sleep, SystemClock
from bot.database import Database
from bot.health import HealthCheck
from bot.metrics import Metrics, WebApiMetrics
from bot.organizers import OrganizerCheck
from bot.pacing import Pacer, Timeline
from bot.scheduling import JobContext, Report
from bot.settings import Settings
from bot.slack_client import PacedClient, make_client
from bot.workspaces.clients import workspace_client
from bot.workspaces.lifecycle import StoppedWorkspaces, stopped_teams
from bot.workspaces.oauth import Installations


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Clock = field(default_factory=SystemClock)
    sleep: Sleep = asyncio.sleep
    random: Callable[[], float] = random_module.random  # backoff jitter; tests inject a constant
    report: Report | None = tell_organizers  # how scheduled jobs' lasting failures reach people
    client: PacedClient = field(init=False)
    organizers: OrganizerCheck = field(init=False)
    # OAuth mode only: the installation store and each workspace's client.
    installations: Installations | None = field(init=False, default=None)
    _workspace_clients: dict[str, AsyncWebClient] = field(init=False, default_factory=dict)
    metrics: Metrics = field(init=False, default_factory=Metrics)
    started_at: datetime = field(init=False)
    # Socket Mode only: whether the WebSocket is connected, for /healthz.
    socket_connected: Callable[[], Awaitable[bool]] | None = field(init=False, default=None)
    stopped_workspaces: StoppedWorkspaces = field(init=False)
    # Every Web API call of `client` / `client_for` waits its turn here (Slack's rate limits).
    pacer: Pacer = field(init=False)

    def __post_init__(self) -> None:
        self.db.clock = self.clock
        timeline = Timeline(self.clock, self.sleep)
        self.sleep = timeline.sleep  # every wait moves the pacer's time on, even under a frozen test clock
        self.pacer = Pacer(timeline, scale=self.settings.slack_rate_scale)
        self.metrics.watch_pacer(self.pacer)
        self.client = make_client(self.settings.slack_bot_token, self.settings.slack_api_url, sleep=self.sleep,
                                  random=self.random, pacer=self.pacer)
        self.organizers = OrganizerCheck(self._user_info)
        self.stopped_workspaces = StoppedWorkspaces(self.db)
        self.started_at = self.clock.now()
        self.client.retry_handlers.insert(0, WebApiMetrics(self.metrics))  # copied into every other client
        if self.settings.oauth_mode:
            self.installations = Installations(self.settings, self.db, self.client, self.clock)

    def client_for(self, team_id: str) -> AsyncWebClient:
        """The client carrying `team_id`'s bot token: SLACK_BOT_TOKEN's, or the workspace's own in OAuth mode."""
        if self.installations is None:
            return self.client
        if team_id not in self._workspace_clients:
            self._workspace_clients[team_id] = workspace_client(self.installations.tokens, team_id, self.client)
        return self._workspace_clients[team_id]

    def health(self) -> HealthCheck:
        return HealthCheck(self.db, self.clock, self.started_at, self.settings.tick_seconds,
                           lambda: self.metrics.last_tick_at, self.socket_connected)

    def job_context(self) -> JobContext:
        return JobContext(db=self.db, client_for=self.client_for, clock=self.clock, sleep=self.sleep,
                          command=self.settings.command, report=self.report,
                          stopped_teams=lambda: stopped_teams(self.db),
                          settings=self.settings)

    async def _user_info(self, team_id: str, user_id: str) -> dict:
        response = await self.client_for(team_id).users_info(user=user_id)
        return response["user"]
