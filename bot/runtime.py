"""Everything a running bot shares: settings, database, clock, Slack client, organizer check.

Built once by `studybot serve` / `tick` (or by a test) and handed to handlers
through Bolt's context and to jobs through `JobContext`.
"""
from __future__ import annotations

import asyncio
import random as random_module
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.alerts import tell_organizers
from bot.clock import Sleep, SystemClock
from bot.database import Database
from bot.organizers import OrganizerCheck
from bot.scheduling import JobContext, Report
from bot.settings import Settings
from bot.slack_client import make_client


@dataclass
class Runtime:
    settings: Settings
    db: Database
    clock: Any = field(default_factory=SystemClock)
    sleep: Sleep = asyncio.sleep
    random: Callable[[], float] = random_module.random  # backoff jitter; tests inject a constant
    report: Report | None = tell_organizers  # how scheduled jobs' lasting failures reach people
    client: AsyncWebClient = field(init=False)
    organizers: OrganizerCheck = field(init=False)

    def __post_init__(self) -> None:
        self.db.clock = self.clock
        self.client = make_client(self.settings.slack_bot_token, self.settings.slack_api_url, sleep=self.sleep,
                                  random=self.random)
        self.organizers = OrganizerCheck(self._user_info)

    def client_for(self, team_id: str) -> AsyncWebClient:
        """One bot token today; the hook where per-workspace OAuth tokens plug in."""
        return self.client

    def job_context(self) -> JobContext:
        return JobContext(db=self.db, client_for=self.client_for, clock=self.clock, sleep=self.sleep,
                          command=self.settings.command, report=self.report)

    async def _user_info(self, team_id: str, user_id: str) -> dict:
        response = await self.client_for(team_id).users_info(user=user_id)
        return response["user"]
