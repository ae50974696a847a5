"""Drive the bot the way Slack does: signed HTTP requests to the running server.

    bot = await StudyBot.start(emulator, database_url, clock)
    await bot.slash("help", user="U1")
    reply = await bot.reply()          # what reached the response_url

Every request is signed like Slack signs it; the bot's Web API calls land in
the emulator, where the test inspects them.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import aiohttp

from bot.clock import FixedClock
from bot.database import Database
from bot.main.server import HttpServer, start_http
from bot.runtime import Runtime
from bot.scheduling import TickResult, tick
from bot.settings import load_settings
from tests.emulator import SlackEmulator
from tests.emulator.state import TEAM_ID

SIGNING_SECRET = "test-signing-secret"
BOT_TOKEN = "xoxb-test-token"


def sign(body: str, timestamp: int | None = None, secret: str = SIGNING_SECRET) -> dict[str, str]:
    stamp = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


@dataclass
class HttpReply:
    status: int
    text: str

    def json(self) -> Any:
        return json.loads(self.text) if self.text else None


@dataclass
class StudyBot:
    emulator: SlackEmulator
    runtime: Runtime
    server: HttpServer
    session: aiohttp.ClientSession
    sleeps: list[float] = field(default_factory=list)
    team_id: str = TEAM_ID

    @classmethod
    async def start(cls, emulator: SlackEmulator, database_url: str, clock: FixedClock, **settings: Any) -> StudyBot:
        config = load_settings(**{
            "slack_bot_token": BOT_TOKEN, "slack_signing_secret": SIGNING_SECRET, "slack_api_url": emulator.url,
            "database_url": database_url, "slack_app_token": None, **settings,
        })
        sleeps: list[float] = []

        async def fake_sleep(seconds: float) -> None:
            sleeps.append(seconds)

        # Jitter pinned to its maximum: backoff waits are exact in assertions.
        runtime = Runtime(settings=config, db=Database(database_url), clock=clock, sleep=fake_sleep, random=lambda: 1.0)
        server = await start_http(runtime, "127.0.0.1", 0)
        return cls(emulator, runtime, server, aiohttp.ClientSession(), sleeps)

    async def stop(self) -> None:
        await self.session.close()
        await self.server.stop()
        await self.runtime.db.dispose()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.port}/slack/events"

    @property
    def clock(self) -> FixedClock:
        return self.runtime.clock

    @property
    def db(self) -> Database:
        return self.runtime.db

    # ---- what Slack sends ------------------------------------------------
    async def post(self, body: str, content_type: str, headers: dict[str, str] | None = None,
                   signature: dict[str, str] | None = None) -> HttpReply:
        all_headers = {"Content-Type": content_type, **(signature if signature is not None else sign(body)),
                       **(headers or {})}
        async with self.session.post(self.url, data=body.encode(), headers=all_headers) as response:
            return HttpReply(response.status, await response.text())

    async def slash(self, text: str = "", *, user: str = "U1", channel: str = "C0STUDY001", command: str = "/study",
                    trigger_id: str | None = None) -> HttpReply:
        form = {
            "token": "legacy", "team_id": self.team_id, "team_domain": "study", "channel_id": channel,
            "channel_name": "general", "user_id": user, "user_name": user.lower(), "command": command,
            "text": text, "api_app_id": "A0STUDY", "response_url": self.emulator.response_url(),
            "trigger_id": trigger_id or f"trigger-{uuid.uuid4().hex[:8]}",
        }
        reply = await self.post(urlencode(form), "application/x-www-form-urlencoded")
        if reply.status == 200 and reply.text.strip():  # answered in the ack: Slack shows it like a response
            await self.emulator.record_response(reply.json(), "ack")
        return reply

    async def event(self, event: dict[str, Any], *, event_id: str | None = None,
                    retry_num: int | None = None) -> HttpReply:
        body = json.dumps({
            "token": "legacy", "team_id": self.team_id, "api_app_id": "A0STUDY", "type": "event_callback",
            "event": event, "event_id": event_id or f"Ev{uuid.uuid4().hex[:10].upper()}",
            "event_time": int(self.clock.now().timestamp()),
            "authorizations": [{"team_id": self.team_id, "user_id": "UBOT00001", "is_bot": True}],
        })
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else None
        return await self.post(body, "application/json", headers)

    async def interact(self, payload: dict[str, Any]) -> HttpReply:
        payload = {"team": {"id": self.team_id}, "api_app_id": "A0STUDY", "token": "legacy", **payload}
        return await self.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")

    async def click(self, action_id: str, value: str = "", *, user: str = "U1", channel: str | None = "C0STUDY001",
                    message_ts: str | None = None, view: dict[str, Any] | None = None) -> HttpReply:
        payload: dict[str, Any] = {
            "type": "block_actions", "user": {"id": user, "team_id": self.team_id},
            "trigger_id": f"trigger-{uuid.uuid4().hex[:8]}",
            "actions": [{"action_id": action_id, "block_id": "b", "type": "button", "value": value}],
        }
        if channel:  # only clicks on messages carry a response_url; App Home and modal clicks do not
            payload["response_url"] = self.emulator.response_url()
            payload["channel"] = {"id": channel}
            payload["container"] = {"type": "message", "channel_id": channel, "message_ts": message_ts or "1.0"}
            payload["message"] = {"ts": message_ts or "1.0", "text": ""}
        if view is not None:
            payload["view"] = view
            payload["container"] = {"type": "view", "view_id": view.get("id", "V1")}
        return await self.interact(payload)

    async def submit(self, view: dict[str, Any], values: dict[str, dict[str, Any]], *, user: str = "U1") -> HttpReply:
        """Submit a modal; `values` is Slack's `state.values` shape: {block_id: {action_id: {...}}}."""
        submitted = dict(view, id=view.get("id", "V1"), state={"values": values})
        return await self.interact({"type": "view_submission", "user": {"id": user, "team_id": self.team_id},
                                    "view": submitted, "trigger_id": "trigger-submit"})

    async def reply(self, count: int | None = None) -> dict[str, Any]:
        """The `count`-th message sent to a response_url (default: the next unseen one)."""
        wanted = count or (self._seen_replies + 1)
        body = await self.emulator.wait_for_response(wanted)
        self._seen_replies = max(self._seen_replies, wanted)
        return body

    _seen_replies: int = 0

    async def settle(self, timeout: float = 10.0) -> None:
        """Wait until every listener Bolt runs after its ack (events, actions, views) has finished.

        Bolt acks Slack first and runs the listener as a task; a test that sent an
        event awaits this before looking at the database or the emulator.
        """
        current = asyncio.current_task()
        while True:
            running = [task for task in asyncio.all_tasks() if task is not current and _is_listener(task)]
            if not running:
                return
            _done, pending = await asyncio.wait(running, timeout=timeout)
            if pending:
                raise AssertionError(f"{len(pending)} listener(s) still running after {timeout}s")

    # ---- set-up shortcuts -------------------------------------------------
    async def create_cohort(self, name: str = "fastbook", **fields: Any):  # type: ignore[no-untyped-def]
        """A cohort as an organizer would create it (defaults: channel C0STUDY001, Europe/London, 2026-03-03 18:00)."""
        from bot.cohorts.store import create_cohort

        values = {"channel_id": "C0STUDY001", "timezone": "Europe/London", "start": "2026-03-03 18:00", **fields}
        async with self.db.session() as session:
            return await create_cohort(session, team_id=self.team_id, name=name, now=self.clock.now(), **values)

    # ---- what the clock does ----------------------------------------------
    async def tick(self, at=None) -> list[TickResult]:  # type: ignore[no-untyped-def]
        from schedules import all_jobs

        if at is not None:
            self.clock.set(at)
        results = await tick(self.db, all_jobs(), self.runtime.job_context())
        self.runtime.metrics.record_tick(results, self.clock.now())
        return results


def _is_listener(task: asyncio.Task) -> bool:
    name = getattr(task.get_coro(), "__qualname__", "")
    return not task.done() and "run_ack_function_asynchronously" in name


def text_of(message: dict[str, Any]) -> str:
    """All the words of a message or view — fallback text and every block — for assertions."""
    parts = [message.get("text") or ""]

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "text" and isinstance(value, str):
                    parts.append(value)
                else:
                    walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(message.get("blocks") or [])
    return "\n".join(parts)
