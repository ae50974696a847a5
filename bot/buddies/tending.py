"""The buddies' scheduled round for one cohort, run on every tick that has something to do: release whoever left,
match whoever is waiting, introduce new pairs (and trios) in their one group DM, and send the notes of endings.

Each step is idempotent: matches are claims (`bot.buddies.records`), messages go through `post_once` with keys
naming the pair, so a retry, a restart or a second replica never pairs anyone twice or posts anything twice.
"""
from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted, section
from bot.buddies import views
from bot.buddies.matching import plan_matches
from bot.buddies.records import CohortBuddies, create_pair, end_pair, join_pair, load, pair_members
from bot.calendar.zones import Zone
from bot.cohorts.store import active_cohorts
from bot.database import Database
from bot.groups.records import zone_of
from bot.groups.slots import meeting_slots
from bot.models import Cohort
from bot.models.buddies import BuddyOptIn, BuddyPair
from bot.models.groups import GroupMember
from bot.outbound import post_once, posted_or_busy
from bot.scheduling import Busy, Occurrence
from bot.store import get_known
from bot.syllabus.store import syllabus_about

TEND_JOB = "buddies-tend"
GONE_FROM_SLACK = frozenset({"user_not_found", "user_disabled"})  # Slack won't open a DM with them
STALE_AFTER = timedelta(minutes=5)  # a minute's round not run by then is skipped: the next minute's does it


@dataclass
class Tended:
    released: int = 0
    matched: int = 0
    introduced: int = 0
    settled: int = 0

    def __str__(self) -> str:
        return (f"ended {counted(self.released, 'pairing')}, made {counted(self.matched, 'match', 'matches')},"
                f" introduced {counted(self.introduced, 'pair')}, sent the notes of {counted(self.settled, 'ending')}")


def has_work(state: CohortBuddies, now: datetime) -> bool:
    return bool(state.gone() or state.broken()
                or plan_matches(state.seekers(now), state.open_pairs(now), state.past, now)
                or any(p.introduced_size < p.size for p in state.active_pairs())
                or any(p.ended_at is not None for p in state.pairs.values()))


async def tend_occurrences(session: AsyncSession, now: datetime) -> list[Occurrence]:
    """One occurrence per cohort and minute — only for cohorts with something to do (most minutes: none)."""
    minute = now.replace(second=0, microsecond=0)
    found = []
    for cohort in await active_cohorts(session):
        if has_work(await load(session, cohort.id), now):
            found.append(Occurrence(cohort.team_id, f"cohort-{cohort.id}", minute.strftime("%Y-%m-%dT%H:%M"),
                                    minute, minute + STALE_AFTER, {"cohort_id": cohort.id}))
    return found


async def tend(db: Database, client: AsyncWebClient, cohort_id: int, now: datetime, *, command: str) -> Tended:
    done = Tended()
    async with db.session() as session:
        cohort = await get_known(session, Cohort, cohort_id)
        team_id = cohort.team_id
        state = await load(session, cohort_id)
        for pair_id in state.broken():
            done.released += await end_pair(session, pair_id, "left", now)
        for user_id in state.gone():
            state.optins[user_id].active = False
    async with db.session() as session:
        state = await load(session, cohort_id)
    plan = plan_matches(state.seekers(now), state.open_pairs(now), state.past, now)
    for two in plan.pairs:
        done.matched += await create_pair(db, team_id, cohort_id, two, now) is not None
    for user_id, pair_id in plan.trios:
        done.matched += await join_pair(db, team_id, cohort_id, user_id, pair_id, now)
    async with db.session() as session:
        waiting = list(await session.scalars(select(BuddyPair.id).where(
            BuddyPair.cohort_id == cohort_id, BuddyPair.ended_at.is_(None),
            BuddyPair.introduced_size < BuddyPair.size)))
        ended = list(await session.scalars(select(BuddyPair.id).where(
            BuddyPair.cohort_id == cohort_id, BuddyPair.ended_at.is_not(None), BuddyPair.settled_at.is_(None))))
    for pair_id in waiting:  # a pair another process is introducing right now is left to it (or the next round)
        with suppress(Busy):
            done.introduced += await introduce(db, client, pair_id, now, command=command)
    for pair_id in ended:
        with suppress(Busy):
            await settle(db, client, pair_id, now)
            done.settled += 1
    return done


async def introduce(db: Database, client: AsyncWebClient, pair_id: int, now: datetime, *, command: str) -> bool:
    """Open the pair's group DM (Slack answers the same one for the same people) and post the introduction once."""
    async with db.session() as session:
        pair = await get_known(session, BuddyPair, pair_id)
        cohort = await get_known(session, Cohort, pair.cohort_id)
        users = await pair_members(session, pair_id)
        rows = {m.user_id: m for m in await session.scalars(select(GroupMember).where(
            GroupMember.cohort_id == pair.cohort_id, GroupMember.user_id.in_(users)))}
        size, team_id, book = pair.size, pair.team_id, syllabus_about(cohort).get("title")
    zones = {u: zone_of(rows[u]) if u in rows else Zone(cohort.timezone) for u in users}
    try:
        channel = (await client.conversations_open(users=",".join(users)))["channel"]["id"]
    except SlackApiError as error:
        if error.response.get("error") not in GONE_FROM_SLACK:
            raise
        async with db.session() as session:  # a deactivated member: this pairing can't start; both get an offer
            await end_pair(session, pair_id, "unreachable", now)
        return False
    slot = meeting_slots(list(zones.values()), now, count=1).slots[0]
    payload = views.introduction(
        [(u, zones[u].name, _local(now, zones[u])) for u in users], book, slot,
        {u: _local(slot, zones[u]) for u in users}, command)
    posted_or_busy(await post_once(db, client, team_id=team_id, key=f"buddies:intro:{pair_id}:{size}",
                                   channel=channel, now=now, **payload), "introducing this pair")
    async with db.session() as session:
        await session.execute(update(BuddyPair).where(BuddyPair.id == pair_id, BuddyPair.introduced_size < size)
                              .values(introduced_size=size, channel=channel))
    return True


def _local(instant: datetime, zone: Zone) -> datetime:
    return (instant + timedelta(minutes=zone.offset_minutes(instant))).replace(tzinfo=None)


async def settle(db: Database, client: AsyncWebClient, pair_id: int, now: datetime) -> None:
    """An ended pairing: one neutral note in its group DM, one private offer of a new match to each member owed
    one; then it is settled."""
    async with db.session() as session:
        pair = await get_known(session, BuddyPair, pair_id)
        owed = list(await session.scalars(select(BuddyOptIn.user_id).where(BuddyOptIn.offer_pair_id == pair_id)))
        channel, introduced, team_id, cohort_id = pair.channel, pair.introduced_size, pair.team_id, pair.cohort_id
    if channel and introduced:
        text = views.ended_note()
        posted_or_busy(await post_once(db, client, team_id=team_id, key=f"buddies:ended:{pair_id}", channel=channel,
                                       text=text, now=now, blocks=[section(text)]), "closing this pairing")
    for user_id in owed:
        await post_once(db, client, team_id=team_id, key=f"buddies:offer:{pair_id}:{user_id}", channel=user_id,
                        now=now, **views.ended_offer(cohort_id, pair_id))
    async with db.session() as session:
        await session.execute(update(BuddyOptIn).where(BuddyOptIn.offer_pair_id == pair_id,
                                                       BuddyOptIn.user_id.in_(owed)).values(offer_pair_id=None))
        await session.execute(update(BuddyPair).where(BuddyPair.id == pair_id).values(settled_at=now))
