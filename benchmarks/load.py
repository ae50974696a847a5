"""The load: signed requests from a process of its own, so the server measured has the CPU to itself.

    python -m benchmarks.load '{"url": …, "secret": …, "kind": "slash", "arg": "help",
                                "connections": 16, "seconds": 3, "count": null, …}'

Prints one JSON object: requests sent, answered 2xx, other statuses, requests per second,
and the median and 99th-percentile latency in milliseconds. Bounded by `seconds` and `count`.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import statistics
import sys
import time
from typing import Any
from urllib.parse import urlencode

import aiohttp


def signed(secret: str, body: str) -> dict[str, str]:
    stamp = str(int(time.time()))
    digest = hmac.new(secret.encode(), f"v0:{stamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}"}


def request_body(spec: dict[str, Any], n: int) -> tuple[str, str]:
    """The n-th request of a scenario: (content type, body)."""
    team = spec.get("team", "T0STUDY01")
    user = f"U{n % spec.get('users', 1):08d}" if spec.get("users", 1) > 1 else spec.get("user", "U00000000")
    if spec["kind"] == "slash":
        form = {"team_id": team, "channel_id": spec.get("channel", "C0STUDY001"), "user_id": user,
                "command": "/study", "text": spec.get("arg", "help"), "response_url": spec["response_url"],
                "trigger_id": f"trigger-{n}", "api_app_id": "A0STUDY"}
        return "application/x-www-form-urlencoded", urlencode(form)
    if spec["kind"] == "reply":  # a member answering a prompt in its thread
        event = {"type": "message", "channel": spec.get("channel", "C0STUDY001"), "user": user,
                 "text": f"answer number {n}", "ts": reply_ts(spec, n), "thread_ts": spec["thread_ts"]}
    elif spec["kind"] == "home":
        event = {"type": "app_home_opened", "user": user, "channel": "D0HOME", "tab": "home",
                 "event_ts": f"1773000000.{n:06d}"}
    else:
        raise ValueError(f"unknown kind {spec['kind']}")
    envelope = {"team_id": team, "api_app_id": "A0STUDY", "type": "event_callback", "event": event,
                "event_id": f"Ev{spec.get('run', 0)}x{n}", "event_time": int(time.time()),
                "authorizations": [{"team_id": team, "user_id": "UBOT00001", "is_bot": True}]}
    return "application/json", json.dumps(envelope)


def reply_ts(spec: dict[str, Any], n: int) -> str:
    """A reply's ts, unique across rounds (a repeated ts is the same message: recorded once) and never
    the prompt's own ts (that would be the thread's parent, not a reply)."""
    return f"{int(float(spec['thread_ts'])) + 1 + spec.get('round', 0)}.{n:06d}"


async def run(spec: dict[str, Any]) -> dict[str, Any]:
    numbers = itertools.count()
    deadline = time.perf_counter() + spec["seconds"]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    limit = spec.get("count")

    async def worker(session: aiohttp.ClientSession) -> None:
        while time.perf_counter() < deadline:
            n = next(numbers)
            if limit is not None and n >= limit:
                return
            content_type, body = request_body(spec, n)
            headers = {"Content-Type": content_type, **signed(spec["secret"], body)}
            began = time.perf_counter()
            async with session.post(spec["url"], data=body.encode(), headers=headers) as response:
                await response.read()
                statuses[response.status] = statuses.get(response.status, 0) + 1
            latencies.append(time.perf_counter() - began)

    connector = aiohttp.TCPConnector(limit=spec["connections"])
    began = time.perf_counter()
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(spec["connections"])))
    elapsed = time.perf_counter() - began
    latencies.sort()
    ok = sum(count for status, count in statuses.items() if 200 <= status < 300)
    return {
        "sent": len(latencies), "ok": ok, "statuses": statuses, "seconds": round(elapsed, 3),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[max(0, int(len(latencies) * 0.99) - 1)] * 1000, 1) if latencies else None,
    }


if __name__ == "__main__":
    print(json.dumps(asyncio.run(run(json.loads(sys.argv[1])))))
