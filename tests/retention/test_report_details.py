"""Details of the organizers' weekly report that the eight-week simulation does not reach."""
from __future__ import annotations

from datetime import timedelta

from bot.cohorts.weeks import week_of
from bot.models.groups import GroupMember, StudyGroup
from bot.retention.report import build_report


async def add_group(bot, cohort, name: str, formed_at, members: list[str]) -> None:
    async with bot.db.session() as session:
        group = StudyGroup(team_id=bot.team_id, cohort_id=cohort.id, name=name, channel_id=f"C0{name.upper()}",
                           center_offset=0, status="ready", created_at=formed_at)
        session.add(group)
        await session.flush()
        for user in members:
            session.add(GroupMember(team_id=bot.team_id, cohort_id=cohort.id, user_id=user, zone="Europe/London",
                                    prefers=[], joined_at=formed_at, group_id=group.id))


async def quiet_in(bot, cohort, week: int) -> list[str]:
    async with bot.db.session() as session:
        report, _ = await build_report(session, cohort, week)
    return report.quiet_groups


async def test_a_group_is_judged_quiet_only_after_a_full_week(bot):
    cohort = await bot.create_cohort(weeks=4)
    week1, week2 = week_of(cohort, 1), week_of(cohort, 2)
    await add_group(bot, cohort, "older", week1.opens_at - timedelta(weeks=1), ["U1"])
    await add_group(bot, cohort, "new", week1.closes_at - timedelta(days=1), ["U2"])  # formed "yesterday"
    await add_group(bot, cohort, "mid", week2.opens_at + timedelta(days=1), ["U3"])
    assert await quiet_in(bot, cohort, 1) == ["older"]
    assert await quiet_in(bot, cohort, 2) == ["older"]  # "new" has had week 2 only, not a full week before it
    assert sorted(await quiet_in(bot, cohort, 3)) == ["new", "older"]
    assert sorted(await quiet_in(bot, cohort, 4)) == ["mid", "new", "older"]
