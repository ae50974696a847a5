"""A bare Bolt AsyncApp with one trivial listener per kind: the framework's own ceiling.

    python -m benchmarks.bare_app PORT SIGNING_SECRET SLACK_API_URL

Served the way studybot serves (aiohttp, `POST /slack/events`, `GET /healthz`), so a
ratio between the two measures studybot's own cost, not the framework's.
"""
from __future__ import annotations

import asyncio
import sys

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient


def build(secret: str, api_url: str) -> AsyncApp:
    app = AsyncApp(signing_secret=secret, client=AsyncWebClient(token="xoxb-bench-token", base_url=api_url))

    @app.command("/study")
    async def command(ack) -> None:  # type: ignore[no-untyped-def]
        await ack()

    @app.event("message")
    async def message(ack) -> None:  # type: ignore[no-untyped-def]
        await ack()

    @app.event("app_home_opened")
    async def home(ack) -> None:  # type: ignore[no-untyped-def]
        await ack()

    return app


async def main(port: int, secret: str, api_url: str) -> None:
    app = build(secret, api_url)

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await app.async_dispatch(await to_bolt_request(request)))

    async def healthz(_request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    web_app = web.Application()
    web_app.router.add_post("/slack/events", events)
    web_app.router.add_get("/healthz", healthz)
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2], sys.argv[3]))
