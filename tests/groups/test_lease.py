"""The lease on a cohort's channel work belongs to the run that took it: a run that outlived its lease
can neither release nor extend the lease a later run took over (two replicas, one slow)."""
from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.errors import StudyError
from bot.groups.provisioning import LEASE, lease
from bot.models.groups import GroupFormation, StudyGroup
from tests.groups.helpers import make_cohort


async def formation(bot) -> int:  # type: ignore[no-untyped-def]
    cohort = await make_cohort(bot)
    async with bot.db.session() as session:
        session.add(GroupFormation(team_id=bot.team_id, cohort_id=cohort.id, formed_at=bot.clock.now(),
                                   min_size=4, max_size=8))
    return cohort.id


async def lease_until(bot, cohort_id: int):  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return await session.scalar(select(GroupFormation.lease_until).where(GroupFormation.cohort_id == cohort_id))


async def test_releasing_an_expired_lease_does_not_free_the_one_that_replaced_it(bot):
    cohort_id = await formation(bot)
    start = bot.clock.now()
    slow = lease(bot.db, cohort_id, start)
    held = await slow.__aenter__()
    later = start + LEASE + timedelta(minutes=1)
    replacing = lease(bot.db, cohort_id, later)
    replacement = await replacing.__aenter__()
    await slow.__aexit__(None, None, None)  # the slow run finishes late
    assert (await lease_until(bot, cohort_id)).replace(tzinfo=None) == replacement.until.replace(tzinfo=None)
    assert not await held.extend(bot.db, later + LEASE)  # nor can it extend what is no longer its own
    with pytest.raises(StudyError):  # still held by the replacement
        async with lease(bot.db, cohort_id, later):
            pass
    await replacing.__aexit__(None, None, None)
    assert await lease_until(bot, cohort_id) is None and held.until != replacement.until


async def test_a_clash_over_the_lease_at_a_tick_is_one_log_line_without_a_traceback(bot, caplog):
    """A CLI `tick` finishing channel set-up while `serve` holds the lease: expected, not a bug."""
    cohort_id = await formation(bot)
    async with bot.db.session() as session:
        group = StudyGroup(team_id=bot.team_id, cohort_id=cohort_id, name="fastbook-utc", center_offset=0,
                           status="creating", created_at=bot.clock.now())
        session.add(group)
    async with lease(bot.db, cohort_id, bot.clock.now()):  # the other process's run
        with caplog.at_level(logging.INFO, logger="bot.scheduling"):
            results = await bot.tick()
    clashed = [r for r in results if r.job == "groups-sync"]
    assert [r.outcome for r in clashed] == ["failed"]  # retried on a later tick
    records = [r for r in caplog.records if r.name == "bot.scheduling" and "groups-sync" in r.getMessage()]
    assert records and all(r.levelno < logging.ERROR and r.exc_info is None for r in records)
    assert "Another run is setting up" in records[0].getMessage()
