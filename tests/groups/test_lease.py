"""The lease on a cohort's channel work belongs to the run that took it: a run that outlived its lease
can neither release nor extend the lease a later run took over (two replicas, one slow)."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.errors import StudyError
from bot.groups.provisioning import LEASE, lease
from bot.models.groups import GroupFormation
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
