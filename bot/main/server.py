"""Running the bot: the HTTP server (or Socket Mode) plus the in-process scheduler."""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass

import aiohttp
from aiohttp import web
from slack_sdk.errors import SlackApiError
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp

from bot.main.app import create_app
from bot.database import require_current_schema, upgrade
from bot.runtime import Runtime
from bot.settings import secret
from bot.scheduling import tick
from schedules import all_jobs

log = logging.getLogger(__name__)


def build_web_app(app: AsyncApp, runtime: Runtime) -> web.Application:
    """`POST /slack/events` for events, commands and interactivity; `GET /healthz`."""

    async def slack_events(request: web.Request) -> web.Response:
        bolt_request = await to_bolt_request(request)
        bolt_response = await app.async_dispatch(bolt_request)
        return await to_aiohttp_response(bolt_response)

    async def healthz(_request: web.Request) -> web.Response:
        healthy = await runtime.db.ping()
        body = {"status": "ok" if healthy else "database unreachable", "database": healthy}
        return web.json_response(body, status=200 if healthy else 503)

    web_app = web.Application()
    web_app.router.add_post("/slack/events", slack_events)
    web_app.router.add_get("/healthz", healthz)
    return web_app


async def prepare_database(runtime: Runtime) -> None:
    if runtime.settings.auto_migrate:
        await upgrade(runtime.settings.database_url)
    else:
        await require_current_schema(runtime.db)


def start_scheduler(runtime: Runtime) -> AsyncIOScheduler:
    """Every few seconds, run what is due — the same code as `studybot tick`."""
    jobs = all_jobs()

    async def run_due() -> None:
        try:
            await tick(runtime.db, jobs, runtime.job_context())
        except Exception:  # noqa: BLE001 - a failing tick must not stop the scheduler
            log.exception("scheduled tick failed")

    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(run_due, "interval", seconds=runtime.settings.tick_seconds, max_instances=1, coalesce=True)
    scheduler.start()
    return scheduler


@dataclass
class HttpServer:
    runner: web.AppRunner
    port: int

    async def stop(self) -> None:
        await self.runner.cleanup()


async def start_http(runtime: Runtime, host: str, port: int) -> HttpServer:
    app = create_app(runtime)
    runner = web.AppRunner(build_web_app(app, runtime))
    await runner.setup()
    site = web.TCPSite(runner, host, port)
    await site.start()
    bound = runner.addresses[0][1] if runner.addresses else port
    return HttpServer(runner, bound)


async def check_token(runtime: Runtime) -> None:
    """Refuse to start on a wrong or revoked token rather than report healthy and fail every call.

    Slack being unreachable is not a reason to stay down: the bot starts and its calls retry.
    """
    try:
        await runtime.client.auth_test()
    except SlackApiError as error:
        code = error.response.get("error")
        raise ValueError(f"Slack refused SLACK_BOT_TOKEN ({code}): copy the bot token again from the app's "
                         "OAuth & Permissions page, or reinstall the app") from None
    except (aiohttp.ClientError, asyncio.TimeoutError) as error:
        log.warning("could not check the bot token (Slack unreachable: %s); starting anyway", type(error).__name__)


async def serve_forever(runtime: Runtime, *, http: bool, host: str, port: int) -> None:
    await prepare_database(runtime)
    await check_token(runtime)
    scheduler = start_scheduler(runtime)
    try:
        if http:
            server = await start_http(runtime, host, port)
            log.info("studybot listening on http://%s:%s/slack/events", host, server.port)
            await asyncio.Event().wait()
        else:
            from slack_bolt.adapter.socket_mode.async_handler import (
                AsyncSocketModeHandler,
            )

            log.info("studybot connecting in Socket Mode")
            await AsyncSocketModeHandler(create_app(runtime), secret(runtime.settings.slack_app_token)).start_async()
    finally:
        scheduler.shutdown(wait=False)
