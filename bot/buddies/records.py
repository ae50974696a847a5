"""A cohort's buddies as stored: who is waiting, the pairs, who left — and the claims that change them.

Every change that could put one member in two pairs is a compare-and-set on the member's opt-in (`pair_id` from
NULL) or on the pair (`size` from 2), inside the transaction that writes the pair: when another run (a replica,
a retry after a crash) got there first, the transaction is rolled back and nothing is written twice.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from itertools import combinations

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.buddies.matching import OpenPair, Seeker
from bot.database import Database
from bot.groups.records import zone_of
from bot.models.buddies import BuddyOptIn, BuddyPair, BuddyPairMember
from bot.models.groups import GroupMember
from bot.store import rowcount


class _Taken(Exception):
    """Another run claimed one of these members (or this pair) first: roll back, nothing written."""


@dataclass
class CohortBuddies:
    cohort_id: int
    joined: dict[str, GroupMember]  # members still in the cohort's groups, by user id
    optins: dict[str, BuddyOptIn]
    pairs: dict[int, BuddyPair]  # active pairs, and ended ones whose notes are not sent yet
    members: dict[int, list[str]] = field(default_factory=dict)  # pair id → members (by when they joined)
    past: set[frozenset[str]] = field(default_factory=set)  # any two who were ever buddies

    def active_pairs(self) -> list[BuddyPair]:
        return [p for p in self.pairs.values() if p.ended_at is None]

    def seekers(self, now: datetime) -> list[Seeker]:
        return [Seeker(o.user_id, self.joined[o.user_id].group_id, zone_of(self.joined[o.user_id]).offset_minutes(now),
                       o.opted_in_at)
                for o in self.optins.values() if o.active and o.pair_id is None and o.user_id in self.joined]

    def open_pairs(self, now: datetime) -> list[OpenPair]:
        found = []
        for pair in self.active_pairs():
            users = [u for u in self.members.get(pair.id, []) if u in self.joined]
            if pair.size == 2 and len(users) == 2:
                found.append(OpenPair(pair.id, tuple(users), frozenset(self.joined[u].group_id for u in users),
                                      tuple(zone_of(self.joined[u]).offset_minutes(now) for u in users),
                                      pair.created_at))
        return found

    def gone(self) -> list[str]:
        """Members who still want a buddy but left the cohort's groups (or were forgotten)."""
        return [o.user_id for o in self.optins.values() if o.active and o.user_id not in self.joined]

    def broken(self) -> list[int]:
        """Active pairs missing a member: one left, stopped, or was forgotten."""
        return [p.id for p in self.active_pairs()
                if sum(1 for u in self.members.get(p.id, []) if self._still_in(u, p.id)) < p.size]

    def _still_in(self, user_id: str, pair_id: int) -> bool:
        optin = self.optins.get(user_id)
        return user_id in self.joined and optin is not None and optin.active and optin.pair_id == pair_id

    def pair_of(self, user_id: str) -> BuddyPair | None:
        optin = self.optins.get(user_id)
        return self.pairs.get(optin.pair_id) if optin is not None and optin.pair_id is not None else None


async def load(session: AsyncSession, cohort_id: int) -> CohortBuddies:
    joined = {m.user_id: m for m in await session.scalars(
        select(GroupMember).where(GroupMember.cohort_id == cohort_id, GroupMember.left_at.is_(None)))}
    optins = {o.user_id: o for o in await session.scalars(
        select(BuddyOptIn).where(BuddyOptIn.cohort_id == cohort_id))}
    pairs = {p.id: p for p in await session.scalars(
        select(BuddyPair).where(BuddyPair.cohort_id == cohort_id, BuddyPair.settled_at.is_(None)))}
    everyone: dict[int, list[str]] = defaultdict(list)
    for pair_id, user_id in await session.execute(
            select(BuddyPairMember.pair_id, BuddyPairMember.user_id).where(BuddyPairMember.cohort_id == cohort_id)
            .order_by(BuddyPairMember.joined_at, BuddyPairMember.id)):
        everyone[pair_id].append(user_id)
    past = {frozenset(two) for users in everyone.values() for two in combinations(users, 2)}
    members = {pair_id: everyone.get(pair_id, []) for pair_id in pairs}
    return CohortBuddies(cohort_id, joined, optins, pairs, members, past)


async def create_pair(db: Database, team_id: str, cohort_id: int, users: tuple[str, ...], now: datetime) -> int | None:
    """A new pair of `users`, claimed; None when one of them was claimed by another run first."""
    try:
        async with db.session() as session:
            pair = BuddyPair(team_id=team_id, cohort_id=cohort_id, size=len(users), introduced_size=0, created_at=now)
            session.add(pair)
            await session.flush()
            await _claim(session, cohort_id, users, pair.id)
            session.add_all([BuddyPairMember(team_id=team_id, pair_id=pair.id, cohort_id=cohort_id, user_id=u,
                                             joined_at=now) for u in users])
            return pair.id
    except _Taken:
        return None


async def join_pair(db: Database, team_id: str, cohort_id: int, user_id: str, pair_id: int, now: datetime) -> bool:
    """`user_id` joins pair `pair_id` as its third; False when the pair or the member was taken meanwhile."""
    try:
        async with db.session() as session:
            grown = await session.execute(update(BuddyPair).where(
                BuddyPair.id == pair_id, BuddyPair.size == 2, BuddyPair.ended_at.is_(None)).values(size=3))
            if rowcount(grown) != 1:
                raise _Taken
            await _claim(session, cohort_id, (user_id,), pair_id)
            session.add(BuddyPairMember(team_id=team_id, pair_id=pair_id, cohort_id=cohort_id, user_id=user_id,
                                        joined_at=now))
            return True
    except _Taken:
        return False


async def _claim(session: AsyncSession, cohort_id: int, users: tuple[str, ...], pair_id: int) -> None:
    claimed = await session.execute(update(BuddyOptIn).where(
        BuddyOptIn.cohort_id == cohort_id, BuddyOptIn.user_id.in_(users), BuddyOptIn.active.is_(True),
        BuddyOptIn.pair_id.is_(None)).values(pair_id=pair_id))
    if rowcount(claimed) != len(users):
        raise _Taken


async def end_pair(session: AsyncSession, pair_id: int, reason: str, now: datetime, *,
                   leaver: str | None = None, requeue: bool = False) -> bool:
    """End an active pair (False: it had ended already). Its members are released: `leaver` (who asked) is off the
    list, or back on it with `requeue`; everyone else still in the cohort is owed one private offer of a new match."""
    ended = await session.execute(update(BuddyPair).where(BuddyPair.id == pair_id, BuddyPair.ended_at.is_(None))
                                  .values(ended_at=now, ended_reason=reason))
    if rowcount(ended) != 1:
        return False
    pair = await session.get(BuddyPair, pair_id)
    still_in = set(await session.scalars(select(GroupMember.user_id).where(
        GroupMember.cohort_id == (pair.cohort_id if pair else 0), GroupMember.left_at.is_(None))))
    for optin in await session.scalars(select(BuddyOptIn).where(BuddyOptIn.pair_id == pair_id)):
        optin.pair_id = None
        if optin.user_id == leaver and requeue:
            optin.active, optin.opted_in_at = True, now
        elif optin.user_id == leaver or optin.user_id not in still_in:
            optin.active = False
        else:
            optin.active, optin.offer_pair_id = False, pair_id
    return True


async def pair_members(session: AsyncSession, pair_id: int) -> list[str]:
    return list(await session.scalars(select(BuddyPairMember.user_id).where(BuddyPairMember.pair_id == pair_id)
                                      .order_by(BuddyPairMember.joined_at, BuddyPairMember.id)))
