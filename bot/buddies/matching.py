"""Who is matched with whom: a pure plan over the members waiting and the pairs that could take a third.

The rule, rolling — nobody waits for a batch:
1. Two waiting members of the same study group are paired at once (oldest requests first).
2. A member who has no group (groups not formed yet, or on the waiting list), or who has waited `WAIT_FOR_GROUP`
   with nobody from their group coming, is paired with the waiting member nearest their time zone (UTC offset
   distance now, round the clock), whatever that member's group.
3. A member who waited `WAIT_FOR_GROUP` and has nobody at all to pair with joins an existing pair — a trio,
   only then — preferring a pair from their group, else the nearest in time zone.
Two members who were buddies before are never matched again.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

WAIT_FOR_GROUP = timedelta(hours=48)
MINUTES_PER_DAY = 1440


@dataclass(frozen=True)
class Seeker:
    user_id: str
    group_id: int | None
    offset: int  # minutes east of UTC, now
    opted_in_at: datetime


@dataclass(frozen=True)
class OpenPair:
    """An active pair of two that a lone member could join."""

    pair_id: int
    members: tuple[str, ...]
    groups: frozenset[int | None]
    offsets: tuple[int, ...]
    created_at: datetime


@dataclass
class Plan:
    pairs: list[tuple[str, str]] = field(default_factory=list)
    trios: list[tuple[str, int]] = field(default_factory=list)  # (member, pair they join)

    def __bool__(self) -> bool:
        return bool(self.pairs or self.trios)


def distance(a: int, b: int) -> int:
    """Minutes between two UTC offsets, round the clock (UTC+12 and UTC-12 show the same clock time)."""
    gap = abs(a - b) % MINUTES_PER_DAY
    return min(gap, MINUTES_PER_DAY - gap)


def open_to_anyone(seeker: Seeker, now: datetime) -> bool:
    return seeker.group_id is None or now - seeker.opted_in_at >= WAIT_FOR_GROUP


def plan_matches(seekers: Iterable[Seeker], open_pairs: Sequence[OpenPair], past: set[frozenset[str]],
                 now: datetime) -> Plan:
    waiting = sorted(seekers, key=lambda s: (s.opted_in_at, s.user_id))
    taken: set[str] = set()
    plan = Plan()

    def free(seeker: Seeker, other: Seeker) -> bool:
        return (other.user_id not in taken and other.user_id != seeker.user_id
                and frozenset((seeker.user_id, other.user_id)) not in past)

    for seeker in waiting:  # 1. the same group
        if seeker.user_id in taken or seeker.group_id is None:
            continue
        partner = next((o for o in waiting if o.group_id == seeker.group_id and free(seeker, o)), None)
        if partner is not None:
            plan.pairs.append((seeker.user_id, partner.user_id))
            taken.update((seeker.user_id, partner.user_id))
    for seeker in waiting:  # 2. the nearest time zone, for those open to anyone
        if seeker.user_id in taken or not open_to_anyone(seeker, now):
            continue
        others = [o for o in waiting if free(seeker, o)]
        if others:
            partner = min(others, key=lambda o: (distance(seeker.offset, o.offset), o.opted_in_at, o.user_id))
            plan.pairs.append((seeker.user_id, partner.user_id))
            taken.update((seeker.user_id, partner.user_id))
    joined: set[int] = set()
    for seeker in waiting:  # 3. a trio, only for someone who would otherwise stay alone
        if seeker.user_id in taken or now - seeker.opted_in_at < WAIT_FOR_GROUP:
            continue
        pairs = [p for p in open_pairs if p.pair_id not in joined
                 and not any(frozenset((seeker.user_id, m)) in past for m in p.members)]
        if pairs:
            chosen = min(pairs, key=lambda p: (seeker.group_id not in p.groups or seeker.group_id is None,
                                               max(distance(seeker.offset, o) for o in p.offsets),
                                               p.created_at, p.pair_id))
            plan.trios.append((seeker.user_id, chosen.pair_id))
            joined.add(chosen.pair_id)
            taken.add(seeker.user_id)
    return plan
