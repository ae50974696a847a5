"""What `cohort create` / `cohort set` check before storing anything: the start and the channels.

Everything here either returns notes worth printing or raises `StudyError`;
it runs before the cohort is written, so a refusal leaves nothing half-created.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient

from bot.calendar.weeks import resolve_local
from bot.cohorts.channels import check_channels, require_usable
from bot.errors import StudyError
from bot.slack_ids import parse_channel_id

FAR_AHEAD = timedelta(days=366)
UNCHECKED = ("warning: the channels were not checked (SLACK_BOT_TOKEN is not set); run `studybot doctor` once it"
             " is, or week 1 may never appear")


def start_is_far(start_local: datetime, timezone: str, now: datetime, *, allow_past: bool) -> bool:
    """StudyError for a start in the past (unless allowed); True when it is more than a year ahead."""
    opens = resolve_local(start_local, timezone)
    if opens < now and not allow_past:
        raise StudyError(f"--start {start_local:%Y-%m-%d %H:%M} ({timezone}) is in the past: week 1 has already"
                         " opened, so the current week would be announced at once and earlier ones never."
                         " Pass --allow-past if that is what you want; nothing was changed.")
    return opens - now > FAR_AHEAD


async def usable_channels(client: AsyncWebClient | None, channels: Iterable[str | None]) -> list[str]:
    """Check (and join, when public) every channel given; the notes to print. StudyError if any is unusable."""
    channel_ids = [parse_channel_id(channel) for channel in channels if channel]
    if not channel_ids:
        return []
    if client is None:
        return [UNCHECKED]
    checks = await check_channels(client, channel_ids, join=True)
    require_usable(checks)
    return [check.said for check in checks if check.joined]
