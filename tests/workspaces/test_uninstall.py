"""Uninstalling stops all work for that workspace at once, and its data is purged after the grace period."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from bot.models import Base
from tests.emulator.state import TEAM_ID
from tests.workspaces.helpers import OTHER_TEAM, add_team, install, start_oauth_bot

WEEK1_OPENS = datetime(2026, 3, 3, 18, 1, tzinfo=UTC)


async def rows_per_team(bot) -> dict[str, int]:  # type: ignore[no-untyped-def]
    counts: dict[str, int] = {}
    async with bot.db.session() as session:
        for table in Base.metadata.sorted_tables:
            if "team_id" in table.c:
                for team_id, count in (await session.execute(
                    select(table.c.team_id, func.count()).group_by(table.c.team_id)
                )).all():
                    counts[team_id] = counts.get(team_id, 0) + count
    return counts


async def test_uninstall_stops_work_at_once_and_purges_after_the_grace_period(emulator, database_url, clock):
    add_team(emulator)
    bot = await start_oauth_bot(emulator, database_url, clock, uninstall_grace_days=30)
    try:
        for team_id in (TEAM_ID, OTHER_TEAM):
            await install(bot, team_id)
            bot.team_id = team_id
            await bot.create_cohort()
        bot.team_id, uninstalled_at = OTHER_TEAM, clock.now()
        assert (await bot.event({"type": "app_uninstalled"})).status == 200
        await bot.settle()
        calls_before = len(emulator.calls_by(OTHER_TEAM))
        results = await bot.tick(WEEK1_OPENS)
        await bot.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
        await bot.settle()
        stopped_counts = await rows_per_team(bot)

        await bot.tick(uninstalled_at + timedelta(days=29, hours=23))
        kept_during_grace = await rows_per_team(bot)
        purge = await bot.tick(uninstalled_at + timedelta(days=30))
        after = await rows_per_team(bot)
    finally:
        await bot.stop()
    assert {r.occurrence.team_id for r in results if r.outcome == "ran"} - {"*"} == {TEAM_ID}
    assert len(emulator.calls_by(OTHER_TEAM)) == calls_before  # not one call for the stopped workspace
    assert [c.team_id for c in emulator.posted()] and {c.team_id for c in emulator.posted()} == {TEAM_ID}
    # during the grace period the data stays (housekeeping may still forget old event ids)
    assert stopped_counts[OTHER_TEAM] > 0 and kept_during_grace[OTHER_TEAM] >= stopped_counts[OTHER_TEAM] - 2
    assert "workspaces.purge" in [r.job for r in purge if r.outcome == "ran"]
    assert OTHER_TEAM not in after and after[TEAM_ID] >= stopped_counts[TEAM_ID]


async def test_revoking_only_user_tokens_keeps_the_workspace_working(emulator, database_url, clock):
    bot = await start_oauth_bot(emulator, database_url, clock)
    try:
        await install(bot, TEAM_ID)
        await bot.create_cohort()
        await bot.event({"type": "tokens_revoked", "tokens": {"oauth": ["UADMIN"], "bot": []}})
        await bot.settle()
        results = await bot.tick(WEEK1_OPENS)
        await bot.event({"type": "tokens_revoked", "tokens": {"oauth": [], "bot": ["UBOT00001"]}})
        await bot.settle()
        later = await bot.tick(WEEK1_OPENS + timedelta(hours=1))
    finally:
        await bot.stop()
    assert any(r.outcome == "ran" for r in results) and all(r.occurrence.team_id == "*" for r in later)


async def test_single_workspace_mode_stops_too_when_uninstalled(bot, emulator):
    await bot.create_cohort()
    await bot.event({"type": "app_uninstalled"})
    await bot.settle()
    calls = len(emulator.calls)
    results = await bot.tick(WEEK1_OPENS)
    await bot.slash("help")
    await bot.event({"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"})
    await bot.settle()
    assert {r.occurrence.team_id for r in results} == {"*"}  # global jobs only (housekeeping, old text)
    # Bolt's own first-request auth.test (before any middleware of ours) aside: not one call, not one reply
    assert [c.method for c in emulator.calls[calls:]] in ([], ["auth.test"]) and not emulator.responses
