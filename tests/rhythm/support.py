"""What the rhythm tests share: cohorts in their own channels, and the rhythm's posts as the emulator saw them."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tests.harness import text_of


@dataclass(frozen=True)
class Post:
    key: str
    at: datetime  # when Slack received it (the emulator's ts follows the test clock)
    text: str
    channel: str


async def cohort_in_channel(bot, emulator, name: str, channel: str, **fields: Any):  # type: ignore[no-untyped-def]
    """A cohort with its own emulated channel (members U1 and the bot)."""
    if channel not in emulator.workspace.channels:
        emulator.workspace.add_channel(channel, name.lower(), members={"U1", "UADMIN"})
    return await bot.create_cohort(name, channel_id=channel, **fields)


def rhythm_posts(emulator, channel: str | None = None, prefix: str = "") -> list[Post]:  # type: ignore[no-untyped-def]
    """Announcements and reminders (by their post_once key), in posting order; other features' posts ignored."""
    posts = []
    for call in emulator.posted(channel):
        key = ((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", "")
        if key.startswith(("announce:", "reminder:")) and key.startswith(prefix) and call.response.get("ok"):
            at = datetime.fromtimestamp(float(call.response["ts"]), UTC).replace(microsecond=0)
            posts.append(Post(key, at, text_of(call.args), call.args["channel"]))
    return posts
