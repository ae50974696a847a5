"""Each workspace's Web API client: its own bot token, read from the installation store at call time.

`Runtime.client_for(team_id)` hands these out in OAuth mode. The token is looked up for every call
rather than cached, so a token rotated by another replica, or a workspace stopped a moment ago, is
seen at once (one indexed read per call). Tokens near expiry are rotated first (token rotation).
"""
from __future__ import annotations

from typing import Any

from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.token_rotation.async_rotator import AsyncTokenRotator
from slack_sdk.web.async_slack_response import AsyncSlackResponse

from bot.errors import StudyError
from bot.slack_client import PacedClient

# Rotate this long before a token expires (Bolt's default for listeners, kept the same for jobs).
ROTATE_MINUTES_BEFORE_EXPIRY = 120


class WorkspaceNotInstalled(StudyError):
    def __init__(self, team_id: str) -> None:
        super().__init__(f"studybot is not installed in workspace {team_id} (or it was uninstalled)")
        self.team_id = team_id


class WorkspaceTokens:
    """The current bot token of every installed workspace."""

    def __init__(self, store: AsyncInstallationStore, rotator: AsyncTokenRotator) -> None:
        self.store, self.rotator = store, rotator

    async def bot_token(self, team_id: str) -> str:
        installation = await self.store.async_find_installation(enterprise_id=None, team_id=team_id)
        if installation is None or not installation.bot_token:
            raise WorkspaceNotInstalled(team_id)
        rotated = await self.rotator.perform_token_rotation(
            installation=installation, minutes_before_expiration=ROTATE_MINUTES_BEFORE_EXPIRY
        )
        if rotated is not None:
            await self.store.async_save(rotated)
            installation = rotated
        assert installation.bot_token is not None, "a rotated installation carries its new bot token"
        return installation.bot_token


class WorkspaceClient(PacedClient):
    """A paced client that fetches its workspace's token before each call."""

    def __init__(self, tokens: WorkspaceTokens, team_id: str, **client_args: Any) -> None:
        super().__init__(**client_args)
        self.tokens, self.team_id = tokens, team_id

    async def api_call(self, api_method: str, **kwargs: Any) -> AsyncSlackResponse:
        self.token = await self.tokens.bot_token(self.team_id)
        return await super().api_call(api_method, **kwargs)


def workspace_client(tokens: WorkspaceTokens, team_id: str, template: PacedClient) -> WorkspaceClient:
    """A client like `template` (base URL, retry policy, timeout, pacer) for one workspace."""
    return WorkspaceClient(
        tokens, team_id, base_url=template.base_url, timeout=template.timeout, session=template.session,
        retry_handlers=list(template.retry_handlers), pacer=template.pacer,
    )
