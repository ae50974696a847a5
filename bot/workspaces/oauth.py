"""OAuth mode: what Bolt needs to install the app in many workspaces and to authorize each request.

`GET /slack/install` redirects the admin to Slack's consent page with a one-time state (kept in
`slack_oauth_states`); `GET /slack/oauth_redirect` exchanges the code with `oauth.v2.access` and saves
the installation (tokens encrypted). Every call — oauth.v2.access and token rotation included — goes
through `client`, the bot's client built on SLACK_API_URL, instead of the SDK's default slack.com client.
"""
from __future__ import annotations

import logging

from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Clock
from bot.database import Database
from bot.settings import Settings, secret
from bot.workspaces.clients import WorkspaceTokens
from bot.workspaces.secrets import TokenCipher
from bot.workspaces.store import EncryptedInstallationStore, oauth_state_store

# The bot scopes the app asks for; tests/test_manifest.py checks they equal manifest.yml's.
BOT_SCOPES = (
    "channels:history", "channels:join", "channels:read", "chat:write", "commands", "files:write",
    "groups:history", "groups:read", "groups:write", "im:history", "im:write", "reactions:read", "reactions:write",
    "users:read", "mpim:history", "mpim:write",  # a buddy pair's group DM (issue 24)
)
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"


class Installations:
    """The installation store, token source and Bolt OAuth settings of one running bot."""

    def __init__(self, settings: Settings, db: Database, client: AsyncWebClient, clock: Clock) -> None:
        client_id, client_secret = settings.slack_client_id or "", secret(settings.slack_client_secret) or ""
        self.cipher = TokenCipher(secret(settings.encryption_key))
        self.store = EncryptedInstallationStore(client_id, db, self.cipher, clock)
        rotator = AsyncTokenRotator(client_id=client_id, client_secret=client_secret, client=client)
        self.tokens = WorkspaceTokens(self.store, rotator)
        self.bolt_settings = AsyncOAuthSettings(
            client_id=client_id, client_secret=client_secret, scopes=list(BOT_SCOPES),
            installation_store=self.store, state_store=oauth_state_store(db),
            install_path=INSTALL_PATH, redirect_uri_path=REDIRECT_PATH, install_page_rendering_enabled=False,
        )
        # Bolt's own authorize would rotate tokens through a default slack.com client; ours uses SLACK_API_URL.
        self.bolt_settings.authorize = AsyncInstallationStoreAuthorize(
            logger=logging.getLogger("slack_bolt"), installation_store=self.store, client_id=client_id,
            client_secret=client_secret, client=client, cache_enabled=True,
        )
