"""`oauth.v2.access` for the emulator: an installable app, consent codes, and token rotation.

A test registers the app (`emulator.oauth.app(client_id, secret)`), plays the admin who clicks
"Allow" (`emulator.oauth.consent(team_id)` → a one-time code, as Slack appends to the redirect URL),
and the bot exchanges the code. Each install issues a token of that workspace only
(`emulator.tokens[token] == team_id`), so calls made with it are answered from its own workspace.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tests.emulator.methods import MethodError, method
from tests.emulator.state import BOT_ID, BOT_USER_ID

if TYPE_CHECKING:
    from tests.emulator.server import SlackEmulator

CLIENT_AUTH_METHODS = {"oauth.v2.access"}  # authenticated by client id and secret, not by a token
APP_ID = "A0STUDY"


@dataclass
class OAuthApps:
    client_id: str = ""
    client_secret: str = ""
    scopes: str = ""
    rotation: bool = False
    expires_in: int = 43200
    codes: dict[str, str] = field(default_factory=dict)  # one-time code -> team_id
    refresh_tokens: dict[str, str] = field(default_factory=dict)  # refresh token -> team_id
    _serial: itertools.count = field(default_factory=lambda: itertools.count(1))

    def app(self, client_id: str, client_secret: str, *, scopes: str = "chat:write", rotation: bool = False,
            expires_in: int = 43200) -> None:
        self.client_id, self.client_secret, self.scopes = client_id, client_secret, scopes
        self.rotation, self.expires_in = rotation, expires_in

    def consent(self, team_id: str) -> str:
        code = f"code-{team_id}-{next(self._serial)}"
        self.codes[code] = team_id
        return code

    def issue(self, emulator: SlackEmulator, team_id: str) -> dict[str, Any]:
        serial = next(self._serial)
        token = f"xoxe.xoxb-1-{team_id}-{serial}" if self.rotation else f"xoxb-{team_id}-{serial}"
        emulator.tokens[token] = team_id
        issued: dict[str, Any] = {"access_token": token, "token_type": "bot"}
        if self.rotation:
            refresh = f"xoxe-1-{team_id}-{serial}"
            self.refresh_tokens[refresh] = team_id
            issued.update(refresh_token=refresh, expires_in=self.expires_in)
        return issued


@method("oauth.v2.access")
def oauth_v2_access(emulator: SlackEmulator, args: dict[str, Any]) -> dict[str, Any]:
    apps = emulator.oauth
    client_id, secret = args.pop("_client")
    if client_id != apps.client_id:
        raise MethodError("invalid_client_id")
    if secret != apps.client_secret:
        raise MethodError("bad_client_secret")
    if args.get("grant_type") == "refresh_token":
        team_id = apps.refresh_tokens.pop(args.get("refresh_token", ""), None)
        if team_id is None:
            raise MethodError("invalid_refresh_token")
        return {**apps.issue(emulator, team_id), "team": {"id": team_id}}
    team_id = apps.codes.pop(args.get("code", ""), None)
    if team_id is None:
        raise MethodError("invalid_code")
    return {
        **apps.issue(emulator, team_id), "scope": apps.scopes, "bot_user_id": BOT_USER_ID, "app_id": APP_ID,
        "team": {"id": team_id, "name": f"Team {team_id}"}, "enterprise": None, "is_enterprise_install": False,
        "authed_user": {"id": "UADMIN"}, "bot_id": BOT_ID,
    }
