"""`studybot groups form | show | health | merge`, run as an operator runs them, against the emulator."""
from __future__ import annotations

import asyncio
import json
import os
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.groups.helpers import ORGANIZER, make_cohort, slash_reply

STUDYBOT = Path(sys.executable).parent / "studybot"


async def studybot(*args: str, database_url: str, emulator) -> tuple[int, str, str]:  # type: ignore[no-untyped-def]
    """Run the real command without blocking the event loop the emulator answers on."""
    env = {**os.environ, "DATABASE_URL": database_url, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "",
           "SLACK_API_URL": emulator.url}
    process = await asyncio.create_subprocess_exec(str(STUDYBOT), *args, env=env, stdout=asyncio.subprocess.PIPE,
                                                   stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode, out.decode(), err.decode()


async def test_form_show_health_and_merge_from_the_command_line(bot, emulator, database_url):
    emulator.workspace.add_user(ORGANIZER, tz="Europe/London")
    await make_cohort(bot, organizers=[ORGANIZER])
    zones = ["Asia/Kolkata"] * 4 + ["Asia/Kathmandu"] * 1 + ["America/New_York"] * 4 + ["America/Toronto"] * 1
    for i, zone in enumerate(zones):
        emulator.workspace.add_user(f"U{i:05d}", tz=zone)
        await slash_reply(bot, "join", user=f"U{i:05d}")

    code, out, err = await studybot("groups", "form", "--min", "4", "--max", "6", database_url=database_url,
                                    emulator=emulator)
    assert code == 0, err
    assert out.startswith("Formed 2 study groups for 10 members of fastbook")
    assert len(emulator.calls_to("conversations.create")) == 2

    code, out, err = await studybot("groups", "show", "--json", database_url=database_url, emulator=emulator)
    assert code == 0, err
    data = json.loads(out)
    assert set(data) == {"groups", "waiting"} and data["waiting"] == []
    america, asia = data["groups"]
    assert set(america) == {"name", "channel", "members", "utc_offsets", "meeting_slots"}
    assert america["name"] in ("fastbook-utc-minus-5", "fastbook-utc-minus-4")  # the real clock: DST or not
    assert america["members"] == [f"U{i:05d}" for i in range(5, 10)]
    assert asia["members"] == [f"U{i:05d}" for i in range(5)]  # west to east, then by id
    assert asia["utc_offsets"] == [5.5, 5.5, 5.5, 5.5, 5.75]
    assert asia["channel"] in emulator.workspace.channels
    now = datetime.now(UTC)
    for slot in asia["meeting_slots"]:
        start = datetime.strptime(slot, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
        assert now - timedelta(minutes=5) <= start <= now + timedelta(days=7)
    assert 2 <= len(asia["meeting_slots"]) <= 3

    code, out, err = await studybot("groups", "health", "--json", database_url=database_url, emulator=emulator)
    assert code == 0, err
    health = json.loads(out)["groups"]
    assert [len(g["messages_per_week"]) for g in health] == [4, 4] and all(not g["quiet"] for g in health)

    code, out, err = await studybot("groups", "merge", asia["name"], america["name"], database_url=database_url,
                                    emulator=emulator)
    assert code == 0, err
    assert f"merged {asia['name']} into {america['name']}" in out and "now has 10 members" in out
    assert emulator.workspace.channels[asia["channel"]].is_archived


async def test_command_line_errors_are_one_line(bot, emulator, database_url):
    code, out, err = await studybot("groups", "show", database_url=database_url, emulator=emulator)
    assert code == 1 and err.startswith("studybot: No cohort yet") and err.count("\n") == 1
    await make_cohort(bot)
    code, out, err = await studybot("groups", "form", "--min", "5", "--max", "3", database_url=database_url,
                                    emulator=emulator)
    assert code == 1 and err.strip() == "studybot: Group sizes need 2 ≤ min ≤ max ≤ 100 (got min 5, max 3)."
    code, out, err = await studybot("groups", "merge", "a", "b", database_url=database_url, emulator=emulator)
    assert code == 1 and err.strip() == 'studybot: No group "a" in this cohort. Groups: none yet.'
