"""The Slack emulator as its own process, for benchmarks: prints its URL, serves until killed.

`GET /_stats` answers the number of calls per Web API method and of response_url posts,
so the benchmark can count what reached "Slack" without sharing memory with it.
"""
from __future__ import annotations

import asyncio
import json
from collections import Counter

from aiohttp import web

from tests.emulator import SlackEmulator
from tests.emulator.state import Message

CHANNEL, PROMPT_TS = "C0STUDY001", "1773000000.000001"


async def main() -> None:
    emulator = SlackEmulator()
    await emulator.start()
    channel = emulator.workspace.add_channel(CHANNEL, "fastbook", members=set())
    # The seeded prompt (benchmarks.scenarios.seed), so answers can be ✅'d and progress can link to it.
    channel.messages[PROMPT_TS] = Message(PROMPT_TS, CHANNEL, "What is a GPU?", user="UBOT00001")
    stats_app = web.Application()

    async def stats(_request: web.Request) -> web.Response:
        counts = Counter(call.method for call in emulator.calls)
        return web.json_response({"calls": dict(counts), "responses": len(emulator.responses)})

    stats_app.router.add_get("/_stats", stats)
    runner = web.AppRunner(stats_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(json.dumps({"url": emulator.url, "response_url": emulator.response_url("bench"),
                      "stats": f"http://127.0.0.1:{runner.addresses[0][1]}/_stats"}), flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
