"""What the live-session tests share: a London cohort with a Thursday session and a join link, and the
session's posts (announcements, reminders, notices) as the emulator saw them."""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from click.testing import CliRunner, Result

from bot.main.cli import cli
from bot.models import Cohort
from tests.harness import StudyBot, text_of

CHANNEL = "C0STUDY001"
LINK = "https://zoom.us/j/123456789"
ORGANIZER = "UADMIN"


@dataclass(frozen=True)
class Post:
    key: str
    at: datetime
    text: str
    blocks: list[dict[str, Any]]


async def london(bot: StudyBot, **fields: Any) -> Cohort:
    """fastbook, Europe/London: week k opens Tuesday 18:00, its session is Thursday 18:00 (GMT until 29 March,
    BST after); the join link is the cohort's."""
    cohort = await bot.create_cohort(session_time="thu 18:00", organizers=[ORGANIZER], **fields)
    async with bot.db.session() as session:
        stored = await session.get(Cohort, cohort.id)
        assert stored is not None
        stored.session_link = LINK
    return cohort


def session_posts(emulator, prefix: str = "") -> list[Post]:  # type: ignore[no-untyped-def]
    """Posts keyed by the rhythm or the sessions feature, in posting order."""
    posts = []
    for call in emulator.posted(CHANNEL):
        key = ((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", "")
        if key.startswith(prefix) and call.response.get("ok") and key.startswith(
                ("announce:", "reminder:", "session-notice:")):
            at = datetime.fromtimestamp(float(call.response["ts"]), UTC).replace(microsecond=0)
            blocks = call.args.get("blocks") or []
            posts.append(Post(key, at, text_of(call.args), json.loads(blocks) if isinstance(blocks, str) else blocks))
    return posts


def buttons(post: Post) -> dict[str, dict[str, Any]]:
    """The post's buttons by their label."""
    return {element["text"]["text"]: element for block in post.blocks if block.get("type") == "actions"
            for element in block["elements"]}


def studybot(database_url: str, *args: str) -> Result:
    return CliRunner().invoke(cli, list(args), env={"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": ""})


async def in_thread(database_url: str, *args: str) -> Result:
    """The CLI runs its own event loop: from a test that runs the emulator, in a thread."""
    return await asyncio.to_thread(studybot, database_url, *args)
