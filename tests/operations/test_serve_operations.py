"""Operating `studybot serve` as a real process: /healthz and /metrics in Socket Mode, JSON logs without
text or tokens, and a graceful SIGTERM that finishes in-flight work and exits within 10 seconds."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import time

import aiohttp

from tests.cli.test_serve import STUDYBOT, free_port, wait_until_healthy
from tests.harness import BOT_TOKEN, SIGNING_SECRET, sign

SECRET_TEXT = "my private thoughts about chapter one"


async def serve(emulator, database_url, tmp_path, **env):  # type: ignore[no-untyped-def]
    port = free_port()
    environment = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
                   "SLACK_API_URL": emulator.url, "DATABASE_URL": database_url, "SLACK_APP_TOKEN": "",
                   "PORT": str(port), "STUDYBOT_TICK_SECONDS": "1", **env}
    process = await asyncio.create_subprocess_exec(
        str(STUDYBOT), "serve", "--host", "127.0.0.1", env=environment, cwd=tmp_path,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
    return process, f"http://127.0.0.1:{port}"


async def test_socket_mode_serves_healthz_and_metrics_on_port(emulator, database_url, tmp_path):
    process, base = await serve(emulator, database_url, tmp_path, SLACK_APP_TOKEN="xapp-test")
    try:
        async with aiohttp.ClientSession() as session:
            health = await wait_until_healthy(session, f"{base}/healthz", process)
            await emulator.wait_for(lambda e: e._sockets)
            async with session.get(f"{base}/healthz") as response:
                health = await response.json()
            command = {"command": "/study", "text": "help", "user_id": "U1", "team_id": "T0STUDY01",
                       "channel_id": "C0STUDY001", "response_url": emulator.response_url(), "trigger_id": "t"}
            await emulator.send_envelope("slash_commands", command)
            await emulator.wait_for_response(1)
            async with session.get(f"{base}/metrics") as response:
                metrics = await response.text()
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 10)
    assert health["status"] == "ok" and health["socket_mode"] == "connected" and health["database"] is True
    assert 'studybot_requests_total{listener="command:/study"} 1.0' in metrics
    assert 'studybot_slack_api_calls_total{method="apps.connections.open"}' in metrics


async def test_sigterm_finishes_in_flight_work_and_exits_within_ten_seconds(emulator, database_url, tmp_path):
    process, base = await serve(emulator, database_url, tmp_path, LOG_FORMAT="json")
    emulator.fail_next("views.publish", delay=2.0, status=200)  # a slow send still running when SIGTERM comes
    async with aiohttp.ClientSession() as session:
        await wait_until_healthy(session, f"{base}/healthz", process)
        body = json.dumps({"type": "event_callback", "team_id": "T0STUDY01", "event_id": "EvSLOW1",
                           "event": {"type": "app_home_opened", "user": "U1", "tab": "home", "text": SECRET_TEXT},
                           "authorizations": [{"team_id": "T0STUDY01", "user_id": "UBOT00001", "is_bot": True}]})
        headers = {"Content-Type": "application/json", **sign(body)}
        async with session.post(f"{base}/slack/events", data=body, headers=headers) as response:
            assert response.status == 200
        await emulator.wait_for(lambda e: e.calls_to("views.publish"))
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    await asyncio.wait_for(process.wait(), 10)
    exited = time.monotonic()
    logs = (await process.stderr.read()).decode()
    # it waited for the slow send (answered 2 s after it began) instead of dropping it, and exited within 10 s
    slow_send_began = emulator.calls_to("views.publish")[0].at
    assert process.returncode == 0 and exited - started < 10 and exited - slow_send_began >= 1.9
    assert emulator.calls_to("views.publish")[0].response["ok"] is True and "unfinished" not in logs
    lines = [json.loads(line) for line in logs.splitlines() if line.startswith("{")]
    assert len(lines) == len(logs.strip().splitlines()), logs  # every line is JSON
    requests = [line for line in lines if line.get("listener")]
    assert [(r["listener"], r["team_id"], r["event_id"]) for r in requests] == [
        ("event:app_home_opened", "T0STUDY01", "EvSLOW1")]
    assert any(line["message"].startswith("stopping") for line in lines)
    assert SECRET_TEXT not in logs and BOT_TOKEN not in logs and "xoxb-" not in logs


async def test_serve_in_oauth_mode_offers_the_install_page_and_needs_the_key(emulator, database_url, tmp_path):
    from tests.workspaces.helpers import CLIENT_ID, CLIENT_SECRET, KEY

    oauth = {"SLACK_BOT_TOKEN": "", "SLACK_CLIENT_ID": CLIENT_ID, "SLACK_CLIENT_SECRET": CLIENT_SECRET}
    process, base = await serve(emulator, database_url, tmp_path, STUDYBOT_ENCRYPTION_KEY=KEY, **oauth)
    try:
        async with aiohttp.ClientSession() as session:
            await wait_until_healthy(session, f"{base}/healthz", process)
            async with session.get(f"{base}/slack/install", allow_redirects=False) as response:
                status, location = response.status, response.headers.get("Location", "")
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 10)
    assert status == 302 and location.startswith("https://slack.com/oauth/v2/authorize?") and CLIENT_ID in location

    keyless, _ = await serve(emulator, database_url, tmp_path, STUDYBOT_ENCRYPTION_KEY="", **oauth)
    _, stderr = await asyncio.wait_for(keyless.communicate(), 30)
    assert keyless.returncode == 1 and stderr.decode().strip() == (
        "studybot: STUDYBOT_ENCRYPTION_KEY is not set: generate one with `studybot keys new`")
