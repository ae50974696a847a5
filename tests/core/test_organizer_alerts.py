"""A scheduled job failing for a reason a person must fix: one DM to the organizers with the fix,
no retry storm, and `studybot tick` exits non-zero with one line per failure (no traceback)."""
from __future__ import annotations

import asyncio
import os
from collections import Counter
from datetime import UTC, datetime

import pytest

from tests.cli.test_tick_and_db import STUDYBOT
from tests.emulator.state import BOT_USER_ID
from tests.harness import BOT_TOKEN, text_of

WEEK1 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
ORGANIZER = "UADMIN"


def broken_channel(emulator, fault: str) -> str:  # type: ignore[no-untyped-def]
    if fault == "channel_not_found":
        return "C0GONE0001"
    channel = emulator.workspace.add_channel("C0BROKEN01", "broken", members={"U1"})
    if fault == "not_in_channel":
        channel.members.discard(BOT_USER_ID)
    else:
        channel.is_archived = True
    return channel.id


@pytest.mark.parametrize("fault, fix", [
    ("not_in_channel", "type `/invite @studybot` in <#C0BROKEN01>"),
    ("channel_not_found", "choose another with `studybot cohort set fastbook --channel …`"),
    ("is_archived", "<#C0BROKEN01> is archived"),
])
async def test_an_unreachable_channel_is_reported_once_and_retried_hourly(bot, emulator, clock, fault, fix):
    channel = broken_channel(emulator, fault)
    await bot.create_cohort(channel_id=channel, organizers=[ORGANIZER])
    clock.set(WEEK1)
    for _ in range(24):  # two hours of a cron every five minutes
        await bot.tick()
        clock.advance(minutes=5)
    dms = emulator.posted(ORGANIZER)
    assert len(dms) == 1
    assert f"Slack said `{fault}`" in text_of(dms[0].args) and fix in text_of(dms[0].args)
    attempts = Counter(((c.args.get("metadata") or {}).get("event_payload") or {}).get("key")
                       for c in emulator.posted(channel))
    assert attempts and set(attempts.values()) == {2}, attempts  # at 18:00 and 19:00, not 24 times


async def test_tick_exits_non_zero_with_one_line_per_failure(bot, emulator, database_url, tmp_path):
    await bot.create_cohort(channel_id=broken_channel(emulator, "not_in_channel"), organizers=[ORGANIZER])
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": emulator.url, "DATABASE_URL": database_url,
           "SLACK_APP_TOKEN": ""}
    process = await asyncio.create_subprocess_exec(
        str(STUDYBOT), "tick", "--now", WEEK1.isoformat(), env=env, cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = (part.decode() for part in await asyncio.wait_for(process.communicate(), 60))
    assert process.returncode == 1
    assert "Traceback" not in stderr
    failures = [line for line in stderr.splitlines() if " ERROR " in line]
    assert failures and all(line.endswith("failed: not_in_channel") for line in failures), stderr
    assert stderr.strip().splitlines()[-1].startswith("studybot: ") and "failed; they are retried later" in stderr
    assert "failed  rhythm" in stdout or "failed " in stdout
    assert len(emulator.posted(ORGANIZER)) == 1
