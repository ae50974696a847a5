"""Can the bot work in a cohort's channels? Asked of Slack before a cohort is stored, and by the doctor.

Each channel gets one `ChannelCheck`: it exists, is not archived, and the bot is
a member. A public channel the bot is not in is joined (`conversations.join`)
when `join` is set and the app was granted `channels:join`; a private one can
only be fixed by a person, so the check says exactly what to type.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import StudyError

BOT_MENTION = "@studybot"
TOKEN_ERRORS = {"invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired"}
TOKEN_FIX = ("copy the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page into SLACK_BOT_TOKEN,"
             " reinstalling the app if it was removed")
SCOPE_FIX = "update the app from manifest.yml and reinstall it (OAuth & Permissions → Reinstall to Workspace)"


@dataclass(frozen=True)
class ChannelCheck:
    channel_id: str
    ok: bool
    said: str  # what was found, one clause: "#fastbook: the bot is a member"
    fix: str | None = None  # what a person should do, when not ok
    joined: bool = False  # the bot joined it just now

    def line(self) -> str:
        return f"{self.said} — fix: {self.fix}" if self.fix else self.said


async def check_channel(client: AsyncWebClient, channel_id: str, *, join: bool) -> ChannelCheck:
    """Whether the bot can post in `channel_id` (joining a public channel itself when `join`)."""
    try:
        info = (await client.conversations_info(channel=channel_id))["channel"]
    except SlackApiError as error:
        return _refused(channel_id, error)
    name = f"#{info.get('name') or channel_id}"
    if info.get("is_archived"):
        return ChannelCheck(channel_id, False, f"{name} ({channel_id}) is archived",
                            f"unarchive {name}, or give the cohort another channel with `studybot cohort set`")
    if info.get("is_member"):
        return ChannelCheck(channel_id, True, f"{name} ({channel_id}): the bot is a member")
    invite = f"type `/invite {BOT_MENTION}` in {name}"
    if info.get("is_private") or not join:
        return ChannelCheck(channel_id, False, f"{name} ({channel_id}): the bot is not a member", invite)
    try:
        await client.conversations_join(channel=channel_id)
    except SlackApiError as error:
        code = error.response.get("error")
        if code in TOKEN_ERRORS:
            return _refused(channel_id, error)
        return ChannelCheck(channel_id, False, f"{name} ({channel_id}): the bot is not a member and could not"
                            f" join ({code})", invite)
    return ChannelCheck(channel_id, True, f"{name} ({channel_id}): the bot joined it", joined=True)


def _refused(channel_id: str, error: SlackApiError) -> ChannelCheck:
    code = error.response.get("error")
    if code == "channel_not_found":
        return ChannelCheck(channel_id, False, f"{channel_id}: no such channel, or a private one the bot is not in",
                            f"check the id (channel details → About); for a private channel type"
                            f" `/invite {BOT_MENTION}` in it")
    if code == "missing_scope":
        return ChannelCheck(channel_id, False, f"{channel_id}: the app may not read channel details (missing_scope)",
                            SCOPE_FIX)
    if code in TOKEN_ERRORS:
        return ChannelCheck(channel_id, False, f"{channel_id}: Slack refused the bot token ({code})", TOKEN_FIX)
    return ChannelCheck(channel_id, False, f"{channel_id}: Slack answered {code}", "try again in a minute")


async def check_channels(client: AsyncWebClient, channel_ids: Iterable[str], *, join: bool) -> list[ChannelCheck]:
    """One check per distinct channel, in order; stops asking Slack once the token itself is refused."""
    checks: list[ChannelCheck] = []
    for channel_id in dict.fromkeys(c for c in channel_ids if c):
        try:
            check = await check_channel(client, channel_id, join=join)
        except (aiohttp.ClientError, TimeoutError) as error:
            raise StudyError(f"cannot reach Slack to check the channels ({error}); nothing was changed.") from None
        checks.append(check)
        if check.fix == TOKEN_FIX:
            break
    return checks


def require_usable(checks: list[ChannelCheck]) -> None:
    """StudyError listing every channel the bot cannot work in, with its fix; nothing was stored."""
    broken = [check for check in checks if not check.ok]
    if broken:
        lines = "; ".join(check.line() for check in broken)
        raise StudyError(f"the bot cannot work in every channel, so nothing was changed: {lines}")
