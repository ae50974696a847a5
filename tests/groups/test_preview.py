"""`groups form --dry-run` / the Preview: the real run's own plan, with nothing written and nothing sent."""
from __future__ import annotations

import json

from sqlalchemy import func, select

from bot.groups.formation import form
from bot.groups.preview import preview_formation, preview_lines
from bot.models.groups import GroupFormation, StudyGroup
from tests.groups.helpers import ORGANIZER, add_to_workspace, join_all, make_cohort, people, slash_reply
from tests.groups.test_cli import studybot
from tests.groups.test_forming import FORMED_AT


async def _rows(bot) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return (await session.scalar(select(func.count()).select_from(StudyGroup)),
                await session.scalar(select(func.count()).select_from(GroupFormation)))


async def test_the_dry_run_of_300_members_is_the_plan_the_real_run_then_carries_out(bot, emulator):
    emulator.workspace.add_user(ORGANIZER, tz="Europe/London")
    await make_cohort(bot, organizers=[ORGANIZER])
    persons = people(300)
    add_to_workspace(emulator, persons, bot.clock.now())
    await join_all(bot, persons)
    bot.clock.set(FORMED_AT)
    calls_before = len(emulator.calls)

    preview = await preview_formation(bot.db, 1, FORMED_AT)
    assert len(emulator.calls) == calls_before  # nothing reached Slack
    assert await _rows(bot) == (0, 0)  # nothing written
    assert preview.first and preview.waiting == [] and len(preview.groups) >= 300 // 8
    assert sorted(u for g in preview.groups for u, _ in g.members) == sorted(p.user_id for p in persons)
    assert all(2 <= len(g.slots) <= 3 and all(len(s.local) >= 1 for s in g.slots) for g in preview.groups)
    assert max(g.spread_minutes for g in preview.groups) == preview.largest_spread
    lines = preview_lines(preview)
    assert lines[0].startswith(f"Dry run for fastbook (first formation): {len(preview.groups)} groups, 300 members")
    assert lines[-1] == "would wait: nobody"

    report = await form(bot.db, bot.runtime.client_for(bot.team_id), 1, FORMED_AT, sleep=bot.runtime.sleep)
    assert report.plan is not None
    assert [(g.name, g.members) for g in report.plan.groups] == preview.plan_key()
    assert report.largest_spread == preview.largest_spread and report.waiting == preview.waiting
    assert len(emulator.calls_to("conversations.create")) == len(preview.groups)


async def test_the_command_line_previews_then_reports_progress_in_lines_and_a_json_summary(bot, emulator,
                                                                                         database_url):
    emulator.workspace.add_user(ORGANIZER, tz="Europe/London")
    await make_cohort(bot, organizers=[ORGANIZER])
    zones = ["Asia/Kolkata"] * 4 + ["America/New_York"] * 4 + ["Europe/Berlin"] * 4
    for i, zone in enumerate(zones):
        emulator.workspace.add_user(f"U{i:05d}", tz=zone)
        await slash_reply(bot, "join", user=f"U{i:05d}")
    calls_before = len(emulator.calls)

    code, out, err = await studybot("groups", "form", "--dry-run", "--min", "4", "--max", "6",
                                    database_url=database_url, emulator=emulator)
    assert code == 0, err
    assert out.startswith("Dry run for fastbook (first formation): 3 groups, 12 members, 0 waiting;")
    assert "meet " in out and " UTC — Asia/Kolkata (UTC+05:30) " in out
    assert len(emulator.calls) == calls_before and await _rows(bot) == (0, 0)

    code, out, err = await studybot("groups", "form", "--min", "4", "--max", "6", database_url=database_url,
                                    emulator=emulator)
    assert code == 0, err
    assert err.splitlines() == ["setting up group channels: 0/3 (0%)", "setting up group channels: 1/3 (33%)",
                                "setting up group channels: 2/3 (66%)", "setting up group channels: 3/3 (100%)"]
    assert out.splitlines()[0].startswith("Formed 3 study groups for 12 members of fastbook")
    assert len(emulator.calls_to("conversations.create")) == 3

    code, out, err = await studybot("groups", "form", "--json", database_url=database_url, emulator=emulator)
    assert code == 0, err
    summary = json.loads(out)
    assert summary["command"] == "groups form" and summary["ok"] is True and summary["failed"] == []
    assert summary["done"] == ["Groups of fastbook were already formed; their channels are all set up."]
    assert summary["groups"] == 3 and summary["grouped"] == 12 and summary["channels_set_up"] == 0

    code, out, err = await studybot("groups", "form", "--quiet", database_url=database_url, emulator=emulator)
    assert code == 0 and out == "" and err == "", err
