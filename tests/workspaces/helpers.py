"""Installing studybot in emulated workspaces through the real OAuth routes."""
from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import aiohttp
from cryptography.fernet import Fernet

from tests.emulator import SlackEmulator
from tests.harness import StudyBot

CLIENT_ID, CLIENT_SECRET = "1234.5678", "test-client-secret"
KEY = Fernet.generate_key().decode()
OTHER_TEAM = "T0OTHER002"


async def start_oauth_bot(emulator: SlackEmulator, database_url: str, clock, **settings) -> StudyBot:  # type: ignore[no-untyped-def]
    emulator.oauth.app(CLIENT_ID, CLIENT_SECRET, scopes="chat:write,commands", **settings.pop("app", {}))
    return await StudyBot.start(
        emulator, database_url, clock, slack_bot_token=None, slack_client_id=CLIENT_ID,
        slack_client_secret=CLIENT_SECRET, encryption_key=settings.pop("encryption_key", KEY), **settings,
    )


async def install(bot: StudyBot, team_id: str) -> str:
    """An admin of `team_id` opens /slack/install, allows the app, and lands on /slack/oauth_redirect."""
    return await install_at(bot.url.removesuffix("/slack/events"), bot.session, bot.emulator, team_id)


async def install_at(base: str, session: aiohttp.ClientSession, emulator: SlackEmulator, team_id: str) -> str:
    """`install`, against any running studybot (`base`: its http://host:PORT)."""
    async with session.get(f"{base}/slack/install", allow_redirects=False) as response:
        assert response.status == 302, await response.text()
        consent = urlparse(response.headers["Location"])
        # The browser keeps the state cookie (Secure, so aiohttp's jar would not send it over http).
        cookie = response.headers["Set-Cookie"].split(";")[0]
    query = parse_qs(consent.query)
    assert consent.netloc == "slack.com" and query["client_id"] == [CLIENT_ID]
    code = emulator.oauth.consent(team_id)
    async with session.get(f"{base}/slack/oauth_redirect", params={"code": code, "state": query["state"][0]},
                           headers={"Cookie": cookie}, allow_redirects=False) as response:
        return f"{response.status} {await response.text()}"


def add_team(emulator: SlackEmulator, team_id: str = OTHER_TEAM):  # type: ignore[no-untyped-def]
    """A second workspace whose user and channel ids overlap the first one's."""
    workspace = emulator.add_workspace(team_id)
    workspace.add_user("U1", "bea", tz="Asia/Tokyo", tz_offset=32400)
    workspace.add_user("UADMIN", "ken", is_admin=True, tz="Asia/Tokyo", tz_offset=32400)
    workspace.add_channel("C0STUDY001", "study-jp", members={"U1", "UADMIN"})
    return workspace
