"""Running the bot: the HTTP server (or Socket Mode) plus the in-process scheduler."""
from __future__ import annotations

import asyncio
import logging
import signal
from dataclasses import dataclass
from datetime import UTC, datetime

import aiohttp
from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.request.internals import extract_content_type, parse_body
from slack_sdk.errors import SlackApiError

from bot.completion.certificate_page import NOT_FOUND, PAGE_HEADERS
from bot.completion.certificates import page_for
from bot.database import require_current_schema, schema_is_current, upgrade
from bot.feeds.serve import calendar_reply
from bot.inbound import drain_inbox
from bot.main.app import create_app, describe
from bot.main.guard import check_request
from bot.metrics import CONTENT_TYPE
from bot.runtime import Runtime
from bot.scheduling import tick
from bot.settings import secret
from handlers import payloads
from schedules import all_jobs

log = logging.getLogger(__name__)
# A stop gives in-flight work this long; with the HTTP drain before it, the process exits within 10 s.
SHUTDOWN_SECONDS = 4.0
_ticks: set[asyncio.Task[None]] = set()  # ticks running now, finished before the process exits


def build_web_app(app: AsyncApp, runtime: Runtime) -> web.Application:
    """`POST /slack/events` for events, commands and interactivity; `GET /healthz`."""

    signing_secret = secret(runtime.settings.slack_signing_secret) or ""

    async def slack_events(request: web.Request) -> web.Response:
        raw = await request.read()
        refusal = check_request(signing_secret, request.headers, raw)
        if refusal is not None:
            log.info("refused a request to /slack/events: %s", refusal.reason)
            return web.Response(status=refusal.status, text=refusal.reason)
        # UTF-8 whatever charset `Content-Type` names (Slack sends only UTF-8; the guard checked it decodes),
        # and the payload checked before Bolt builds its context from it.
        text, body = raw.decode("utf-8"), None
        try:
            body = parse_body(text, extract_content_type({"content-type": [request.headers.get("Content-Type", "")]}))
            payloads.check(body)
        except ValueError as error:  # MalformedPayload, or a form body that opens with `{`
            log.warning("refused a malformed %s payload: %s", describe(body), error)
            return web.Response(status=400, text="malformed payload")
        try:
            bolt_request = AsyncBoltRequest(body=text, query=request.query_string, headers=request.headers)  # type: ignore[arg-type]  # Bolt types headers as a dict; it reads any mapping
            bolt_response = await app.async_dispatch(bolt_request)
        except Exception as error:  # the last net: a 5xx only makes Slack retry the same request
            log.error("could not handle a %s request: %s: %s", describe(body), type(error).__name__, error)
            return web.Response(status=400, text="could not handle this request")
        return await to_aiohttp_response(bolt_response)

    web_app = web.Application()
    web_app.router.add_post("/slack/events", slack_events)
    add_operations_routes(web_app, runtime)
    add_oauth_routes(web_app, app)
    return web_app


def add_operations_routes(web_app: web.Application, runtime: Runtime) -> None:
    """`GET /healthz`, `GET /metrics`, the calendar feeds (`GET /calendar/<token>.ics`) and certificates' public
    pages, the same in HTTP and Socket Mode."""

    async def healthz(_request: web.Request) -> web.Response:
        healthy, body = await runtime.health().report()
        return web.json_response(body, status=200 if healthy else 503)

    async def metrics(_request: web.Request) -> web.Response:
        return web.Response(body=await runtime.metrics.render(runtime.db), headers={"Content-Type": CONTENT_TYPE})

    async def calendar(request: web.Request) -> web.Response:
        reply = await calendar_reply(runtime.db, request.match_info["name"], public_url=runtime.settings.public_url,
                                     if_none_match=request.headers.get("If-None-Match"),
                                     if_modified_since=request.headers.get("If-Modified-Since"))
        return web.Response(status=reply.status, body=reply.body or None, headers=reply.headers)

    web_app.router.add_get("/healthz", healthz)
    web_app.router.add_get("/metrics", metrics)
    web_app.router.add_get("/calendar/{name}", calendar)

    async def certificate(request: web.Request) -> web.Response:
        page = await page_for(runtime.db, request.match_info["code"])
        if page is None:  # revoked, forgotten or unknown: the same plain answer
            return web.Response(status=404, text=NOT_FOUND)
        return web.Response(text=page, content_type="text/html", charset="utf-8", headers=PAGE_HEADERS)
    web_app.router.add_get("/certificates/{code}", certificate)


def add_oauth_routes(web_app: web.Application, app: AsyncApp) -> None:
    """OAuth mode: `GET /slack/install` (redirect to Slack's consent page) and `GET /slack/oauth_redirect`."""
    flow = app.oauth_flow
    if flow is None:
        return

    async def install(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await flow.handle_installation(await to_bolt_request(request)))

    async def oauth_redirect(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    web_app.router.add_get(flow.install_path, install)
    web_app.router.add_get(flow.redirect_uri_path, oauth_redirect)


async def prepare_database(runtime: Runtime) -> None:
    if await schema_is_current(runtime.db):  # the usual start: no alembic to import, no migration to load
        return
    if runtime.settings.auto_migrate:
        await upgrade(runtime.settings.database_url)
    else:
        await require_current_schema(runtime.db)


# How often the inbox is drained of acked requests that did not finish (after their lease, bot.dedup).
DRAIN_SECONDS = 60


def start_scheduler(runtime: Runtime, app: AsyncApp) -> AsyncIOScheduler:
    """Every few seconds, run what is due — the same code as `studybot tick`; on start and every minute,
    run again the acked requests that did not finish (`drain_inbox`)."""
    jobs = all_jobs()

    async def run_due() -> None:
        task = asyncio.current_task()
        assert task is not None  # APScheduler runs this coroutine as a task
        _ticks.add(task)
        try:
            context = runtime.job_context()
            runtime.metrics.record_tick(await tick(runtime.db, jobs, context), context.now)
        except Exception:  # a failing tick must not stop the scheduler
            log.exception("scheduled tick failed")
        finally:
            _ticks.discard(task)

    async def drain() -> None:
        try:
            await drain_inbox(app, runtime)
        except Exception:  # the next drain tries again
            log.exception("draining the inbox failed")

    scheduler = AsyncIOScheduler(timezone="UTC")
    scheduler.add_job(run_due, "interval", seconds=runtime.settings.tick_seconds, max_instances=1, coalesce=True)
    scheduler.add_job(drain, "interval", seconds=DRAIN_SECONDS, max_instances=1, coalesce=True,
                      next_run_time=datetime.now(UTC))
    scheduler.start()
    return scheduler


@dataclass
class HttpServer:
    runner: web.AppRunner
    port: int
    app: AsyncApp | None = None  # the Bolt app behind /slack/events (the inbox's drain runs requests through it)
    web_api: aiohttp.ClientSession | None = None  # closed with the server when it was opened for it

    async def stop(self) -> None:
        await self.runner.cleanup()
        if self.web_api is not None:
            await self.web_api.close()


async def start_http(runtime: Runtime, host: str, port: int) -> HttpServer:
    web_api = keep_web_api_connections(runtime)
    app = create_app(runtime)
    server = await _serve_web(build_web_app(app, runtime), host, port)
    server.web_api, server.app = web_api, app
    return server


def keep_web_api_connections(runtime: Runtime) -> aiohttp.ClientSession:
    """One aiohttp session for the bot's Web API calls, so they reuse kept-alive connections: without it
    slack_sdk opens a session, a connection and a TLS handshake per call (the ✅ on every answer)."""
    session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=runtime.client.timeout))
    runtime.client.session = session  # the template of every workspace's client in OAuth mode, too
    return session


async def _serve_web(web_app: web.Application, host: str, port: int) -> HttpServer:
    # On stop, requests already received get SHUTDOWN_SECONDS to finish (their acks are that fast).
    # No access log: the app logs one line per request itself (bot/main/app.py), without a second one here.
    runner = web.AppRunner(web_app, shutdown_timeout=SHUTDOWN_SECONDS, access_log=None)
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
    except (TimeoutError, aiohttp.ClientError) as error:
        log.warning("could not check the bot token (Slack unreachable: %s); starting anyway", type(error).__name__)


async def serve_forever(runtime: Runtime, *, http: bool, host: str, port: int) -> None:
    """Serve until SIGTERM/SIGINT, then stop taking work, finish what is in flight, and return within 10 s."""
    await prepare_database(runtime)
    if not runtime.settings.oauth_mode:  # in OAuth mode each workspace's token is checked when it installs
        await check_token(runtime)
    web_api = keep_web_api_connections(runtime)
    stopping = asyncio.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(signum, stopping.set)
    app = create_app(runtime)
    scheduler = start_scheduler(runtime, app)
    socket_mode = None
    if http:
        server = await _serve_web(build_web_app(app, runtime), host, port)
        log.info("studybot listening on http://%s:%s/slack/events", host, server.port)
    else:
        from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

        socket_mode = AsyncSocketModeHandler(app, secret(runtime.settings.slack_app_token))
        runtime.socket_connected = socket_mode.client.is_connected
        # Health, metrics and OAuth installs still need HTTP on PORT; Slack's requests come over the socket.
        operations = web.Application()
        add_operations_routes(operations, runtime)
        add_oauth_routes(operations, app)
        server = await _serve_web(operations, host, port)
        await socket_mode.connect_async()
        log.info("studybot connected in Socket Mode; /healthz and /metrics on http://%s:%s", host, server.port)
    await stopping.wait()
    log.info("stopping: taking no new work, finishing what is in flight")
    scheduler.shutdown(wait=False)
    if socket_mode is not None:
        await socket_mode.close_async()
    await server.stop()
    await finish_in_flight(SHUTDOWN_SECONDS)
    await web_api.close()
    log.info("stopped")


async def finish_in_flight(timeout: float) -> None:
    """Wait for listeners still running after their ack, and for a running tick (its sends), up to `timeout`."""
    current = asyncio.current_task()
    running = [task for task in asyncio.all_tasks()
               if task is not current and not task.done() and (_is_listener(task) or task in _ticks)]
    if running:
        _done, pending = await asyncio.wait(running, timeout=timeout)
        if pending:
            log.warning("stopped with %d task(s) unfinished after %ss", len(pending), timeout)


def _is_listener(task: asyncio.Task) -> bool:
    return "run_ack_function_asynchronously" in getattr(task.get_coro(), "__qualname__", "")
