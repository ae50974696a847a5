"""`studybot serve` as a user runs it: a real process, signed HTTP, and Socket Mode."""
from __future__ import annotations

import asyncio
import os
import socket
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import aiohttp
import pytest
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.database import Database
from bot.main.app import create_app
from bot.runtime import Runtime
from bot.settings import load_settings
from tests.harness import BOT_TOKEN, SIGNING_SECRET, sign, text_of

STUDYBOT = Path(sys.executable).parent / "studybot"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def wait_until_healthy(session: aiohttp.ClientSession, url: str, process) -> dict:  # type: ignore[no-untyped-def]
    """Readiness: retry the connection a bounded number of times while the process starts."""
    for _ in range(300):
        if process.returncode is not None:
            raise AssertionError(f"studybot serve exited with {process.returncode}")
        try:
            async with session.get(url) as response:
                return {"http_status": response.status, **(await response.json())}
        except aiohttp.ClientConnectionError:
            await asyncio.sleep(0.05)
    raise AssertionError("studybot serve did not come up")


async def test_serve_http_answers_help_within_three_seconds(emulator, database_url, tmp_path):
    port = free_port()
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": emulator.url, "DATABASE_URL": database_url, "SLACK_APP_TOKEN": ""}
    process = await asyncio.create_subprocess_exec(
        str(STUDYBOT), "serve", "--http", "--port", str(port), "--host", "127.0.0.1",
        env=env, cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE,
    )
    try:
        async with aiohttp.ClientSession() as session:
            health = await wait_until_healthy(session, f"http://127.0.0.1:{port}/healthz", process)
            assert health == {"http_status": 200, "status": "ok", "database": True, "socket_mode": "not used",
                              "last_tick_age_seconds": health["last_tick_age_seconds"]}
            body = urlencode({"command": "/study", "text": "help", "user_id": "U1", "team_id": "T0STUDY01",
                              "channel_id": "C0STUDY001", "response_url": emulator.response_url(), "trigger_id": "t"})
            started = time.monotonic()
            headers = {"Content-Type": "application/x-www-form-urlencoded", **sign(body)}
            async with session.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=headers) as response:
                assert response.status == 200
                reply = await response.json()  # the help is ready at once, so it is the ack's body
            assert time.monotonic() - started < 3
            assert "/study help" in text_of(reply) and reply["response_type"] == "ephemeral"
            forged = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, secret="nope")}
            async with session.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=forged) as response:
                assert response.status == 401
            stale = {"Content-Type": "application/x-www-form-urlencoded", **sign(body, int(time.time()) - 400)}
            async with session.post(f"http://127.0.0.1:{port}/slack/events", data=body, headers=stale) as response:
                assert response.status == 401
        assert emulator.responses == []  # nothing more went to the response_url
    finally:
        process.terminate()
        await process.wait()


async def test_socket_mode_slash_command_and_event_dedup(emulator, database_url, clock):
    settings = load_settings(slack_bot_token=BOT_TOKEN, slack_app_token="xapp-test", slack_signing_secret=None,
                             slack_api_url=emulator.url, database_url=database_url)
    runtime = Runtime(settings=settings, db=Database(database_url), clock=clock)
    handler = AsyncSocketModeHandler(create_app(runtime), settings.slack_app_token.get_secret_value())
    await handler.connect_async()
    try:
        command = {"command": "/study", "text": "", "user_id": "U1", "team_id": "T0STUDY01", "channel_id": "C0STUDY001",
                   "response_url": emulator.response_url(), "trigger_id": "t"}
        ack = await emulator.send_envelope("slash_commands", command)
        assert "envelope_id" in ack
        assert "/study help" in text_of(await emulator.wait_for_response(1))
        event = {"type": "event_callback", "team_id": "T0STUDY01", "event_id": "EvSOCKET1",
                 "event": {"type": "app_home_opened", "user": "U1", "tab": "home"}}
        await emulator.send_envelope("events_api", event)
        await emulator.send_envelope("events_api", event)  # redelivery
        await emulator.wait_for(lambda e: e.calls_to("views.publish"))
        # A new event (another member's Home, so the view differs from what Slack already shows).
        await emulator.send_envelope("events_api", {**event, "event_id": "EvSOCKET2",
                                                    "event": {**event["event"], "user": "UADMIN"}})
        await emulator.wait_for(lambda e: len(e.calls_to("views.publish")) >= 2)
        assert len(emulator.calls_to("views.publish")) == 2
    finally:
        await handler.disconnect_async()
        await runtime.db.dispose()


@pytest.mark.parametrize("env, expected", [
    ({"PORT": "abc"}, "studybot: PORT:"),
    ({"SLACK_BOT_TOKEN": "hello"}, "studybot: SLACK_BOT_TOKEN: expected a bot token starting with xoxb-"),
    ({"DATABASE_URL": "mysql://x"}, "studybot: DATABASE_URL: expected sqlite:///path.db or postgresql://user@host/db"),
])
async def test_bad_settings_stop_start_up_with_one_line(env, expected, tmp_path):
    process = await asyncio.create_subprocess_exec(
        str(STUDYBOT), "serve", env={**os.environ, "SLACK_APP_TOKEN": "", **env}, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    _, stderr = await process.communicate()
    lines = stderr.decode().strip().splitlines()
    assert process.returncode == 1
    assert len(lines) == 1 and lines[0].startswith(expected), lines


async def test_serve_refuses_a_revoked_token_in_one_line(emulator, database_url, tmp_path):
    emulator.fail_next("auth.test", error="token_revoked")
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": emulator.url, "DATABASE_URL": database_url, "SLACK_APP_TOKEN": ""}
    process = await asyncio.create_subprocess_exec(
        str(STUDYBOT), "serve", "--http", "--port", str(free_port()), "--host", "127.0.0.1",
        env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 1
    assert stderr.decode().strip().splitlines()[-1] == (
        "studybot: Slack refused SLACK_BOT_TOKEN (token_revoked): copy the bot token again from the app's "
        "OAuth & Permissions page, or reinstall the app")
    assert BOT_TOKEN not in (stdout + stderr).decode()
    assert len(emulator.calls_to("auth.test")) == 1


def test_no_secret_shows_in_settings_reprs_or_errors():
    settings = load_settings(slack_bot_token="xoxb-very-secret", slack_signing_secret="signing-very-secret",
                             slack_app_token="xapp-very-secret", database_url="postgresql://u:pa%40ss@db/x")
    shown = repr(settings) + str(settings)
    assert "very-secret" not in shown and "pa%40ss" not in shown
    from bot.settings import SettingsError

    with pytest.raises(SettingsError) as refused:
        load_settings(slack_bot_token="not-a-token-very-secret")
    assert "very-secret" not in str(refused.value)
