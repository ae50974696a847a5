"""Socket Mode with OAuth (many workspaces, events over the app's one WebSocket): the install routes are served
on PORT beside /healthz and /metrics, and a workspace installed that way is answered with its own token."""
from __future__ import annotations

import asyncio
import signal

import aiohttp

from tests.cli.test_serve import wait_until_healthy
from tests.operations.test_serve_operations import serve
from tests.workspaces.helpers import CLIENT_ID, CLIENT_SECRET, KEY, OTHER_TEAM, add_team, install_at


async def test_socket_mode_installs_through_oauth_and_answers_with_the_new_workspace_token(
        emulator, database_url, tmp_path):
    add_team(emulator)
    emulator.oauth.app(CLIENT_ID, CLIENT_SECRET, scopes="chat:write,commands")
    process, base = await serve(emulator, database_url, tmp_path, SLACK_APP_TOKEN="xapp-test", SLACK_BOT_TOKEN="",
                                SLACK_CLIENT_ID=CLIENT_ID, SLACK_CLIENT_SECRET=CLIENT_SECRET,
                                STUDYBOT_ENCRYPTION_KEY=KEY)
    try:
        async with aiohttp.ClientSession() as session:
            await wait_until_healthy(session, f"{base}/healthz", process)
            await emulator.wait_for(lambda e: e._sockets, timeout=20)  # a loaded machine connects slowly
            installed = await install_at(base, session, emulator, OTHER_TEAM)
            home = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
            bot_user = {"team_id": OTHER_TEAM, "user_id": "UBOT00001", "is_bot": True}
            await emulator.send_envelope("events_api", {
                "type": "event_callback", "team_id": OTHER_TEAM, "api_app_id": "A0STUDY", "event_id": "EvSOCKET1",
                "event": home, "authorizations": [bot_user]}, timeout=20)
            published = await emulator.wait_for(lambda e: e.calls_to("views.publish"), timeout=20)
            async with session.get(f"{base}/healthz") as response:
                health = await response.json()
            async with session.get(f"{base}/metrics") as response:
                metrics = await response.text()
    finally:
        process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(process.wait(), 10)
    assert installed.startswith("200"), installed
    assert [c.args.get("grant_type") for c in emulator.calls_to("oauth.v2.access")] == [None]
    assert published[0].team_id == OTHER_TEAM and published[0].token.startswith(f"xoxb-{OTHER_TEAM}-")
    assert health["socket_mode"] == "connected" and health["status"] == "ok"
    assert 'studybot_slack_api_calls_total{method="oauth.v2.access"} 1.0' in metrics
    assert 'studybot_requests_total{listener="event:app_home_opened"} 1.0' in metrics
