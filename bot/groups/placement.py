"""Keeping groups healthy after the first formation: late joiners, new groups from the
waiting list, and merges of groups that have gone quiet.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.groups.circle import MINUTES_PER_DAY, circle_distance
from bot.groups.partition import Member


@dataclass(frozen=True)
class GroupState:
    group_id: str
    center_offset_minutes: int
    size: int


@dataclass(frozen=True)
class GroupRecency:
    group_id: str
    center_offset_minutes: int
    size: int
    last_message_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class NearestGroup:
    """Where a late joiner goes: a group, or the waiting list when ``group_id`` is None."""

    group_id: str | None
    distance_minutes: int | None = None

    @property
    def waiting(self) -> bool:
        return self.group_id is None


def place_late_joiner(
    member: Member,
    groups: Sequence[GroupState],
    max_size: int,
    max_distance_minutes: int = 180,
) -> NearestGroup:
    """The group with room whose centre is nearest round the clock, within ``max_distance_minutes``.

    Ties go to the smaller group (it needs people more), then the lower id so
    the answer never depends on the order groups were loaded in.
    """
    options = [
        (circle_distance(member.offset_minutes, g.center_offset_minutes), g.size, g.group_id)
        for g in groups
        if g.size < max_size
    ]
    near = [option for option in options if option[0] <= max_distance_minutes]
    if not near:
        return NearestGroup(None)
    distance, _, group_id = min(near)
    return NearestGroup(group_id, distance)


def form_from_waiting(
    waiting: Sequence[Member],
    min_size: int,
    max_size: int,
    max_spread_minutes: int = 180,
) -> list[tuple[Member, ...]]:
    """New groups from waiting members who are close enough together; the rest keep waiting.

    Exact on the sorted circle: place as many members as possible in groups of
    ``min_size``..``max_size`` spanning at most ``max_spread_minutes``; among
    those, the smallest largest spread; among those, sizes nearest the middle of
    the range. Groups may be taken as runs of consecutive waiting members: the
    exchange argument in ``partition`` applies to the placed members, and a placed
    member can always be swapped for a skipped one lying inside its group's arc
    without widening it.
    """
    if min_size < 1 or max_size < min_size:
        raise ValueError(f"Group sizes need 1 <= min_size <= max_size (got {min_size} and {max_size}).")
    if len(waiting) < min_size:
        return []
    ordered = sorted(waiting, key=lambda m: (m.offset_minutes % MINUTES_PER_DAY, m.user_id))
    offsets = [m.offset_minutes % MINUTES_PER_DAY for m in ordered]
    most_placed, _ = _best_selection(offsets, min_size, max_size, max_spread_minutes)
    if most_placed == 0:
        return []
    tightest = _tightest_limit(offsets, min_size, max_size, max_spread_minutes, most_placed)
    _, runs = _best_selection(offsets, min_size, max_size, tightest)
    count = len(ordered)
    groups = [tuple(ordered[(start + k) % count] for k in range(length)) for start, length in runs]
    return sorted(groups, key=lambda g: (g[0].offset_minutes % MINUTES_PER_DAY, g[0].user_id))


def _tightest_limit(offsets: list[int], min_size: int, max_size: int, ceiling: int, most_placed: int) -> int:
    """Smallest spread limit that still places ``most_placed`` members (binary search; placing is monotone)."""
    below, above = -1, ceiling
    while above - below > 1:
        middle = (below + above) // 2
        if _best_selection(offsets, min_size, max_size, middle)[0] == most_placed:
            above = middle
        else:
            below = middle
    return above


def _best_selection(offsets: list[int], min_size: int, max_size: int, limit: int) -> tuple[int, list[tuple[int, int]]]:
    """Most members placed in runs spanning <= limit, and the runs, balanced sizes breaking ties.

    A run has at most ``max_size`` - 1 slots between its members, so any
    ``max_size`` consecutive slots of the circle include one that is not inside
    a run: trying those ``max_size`` cuts covers every selection.
    """
    count = len(offsets)
    unrolled = offsets + [offset + MINUTES_PER_DAY for offset in offsets]
    best_value, best_runs = None, []
    for start in range(min(count, max_size)):
        value, runs = _best_on_line(unrolled, start, count, min_size, max_size, limit)
        if best_value is None or value > best_value:
            best_value, best_runs = value, runs
    assert best_value is not None
    placed = sum(length for _, length in best_runs)
    return placed, best_runs


def _best_on_line(
    unrolled: list[int], start: int, count: int, min_size: int, max_size: int, limit: int
) -> tuple[int, list[tuple[int, int]]]:
    """DP over positions start..start+count-1: skip a member, or end a run here."""
    balance = [-((2 * size - min_size - max_size) ** 2) for size in range(max_size + 1)]
    # Placing one more member outweighs any total imbalance (at most count groups × (max - min)^2 each).
    placed_weight = (max_size - min_size + 1) ** 2 * (count + 1)
    best = [0] * (count + 1)
    chosen = [0] * (count + 1)  # 0: member skipped; L: a run of length L ends here
    first_allowed = 0
    for end in range(1, count + 1):
        best[end], chosen[end] = best[end - 1], 0
        last_offset = unrolled[start + end - 1]
        while last_offset - unrolled[start + first_allowed] > limit:
            first_allowed += 1
        for length in range(min_size, min(max_size, end - first_allowed) + 1):
            value = best[end - length] + length * placed_weight + balance[length]
            if value > best[end]:
                best[end], chosen[end] = value, length
    runs = []
    end = count
    while end > 0:
        length = chosen[end]
        if length:
            runs.append(((start + end - length) % count, length))
            end -= length
        else:
            end -= 1
    return best[count], runs


def suggest_merges(
    groups: Sequence[GroupRecency],
    now: datetime,
    quiet_weeks: int = 2,
    max_distance_minutes: int = 180,
    max_size: int = 8,
) -> list[tuple[str, str]]:
    """Pairs ``(quiet_group, merge_into)`` worth merging; each group appears at most once.

    A pair needs at least one quiet group — no message for ``quiet_weeks``, or
    none since creation that long ago — because a quiet group's members are best
    revived by joining an active one; two quiet groups may pair too. Centres
    must be within ``max_distance_minutes`` and the merged group within
    ``max_size``. Closest pairs are taken first, then smaller merged groups.
    The first id is the quiet (or, if both are quiet, the smaller) group that
    would move into the second.
    """
    quiet_before = now - timedelta(weeks=quiet_weeks)
    quiet = {g.group_id for g in groups if (g.last_message_at or g.created_at) <= quiet_before}
    candidates = []
    for i, first in enumerate(groups):
        for second in groups[i + 1 :]:
            if first.group_id not in quiet and second.group_id not in quiet:
                continue
            distance = circle_distance(first.center_offset_minutes, second.center_offset_minutes)
            if distance <= max_distance_minutes and first.size + second.size <= max_size:
                mover, keeper = _mover_and_keeper(first, second, quiet)
                candidates.append((distance, first.size + second.size, mover.group_id, keeper.group_id))
    merges: list[tuple[str, str]] = []
    used: set[str] = set()
    for _, _, mover_id, keeper_id in sorted(candidates):
        if mover_id not in used and keeper_id not in used:
            merges.append((mover_id, keeper_id))
            used.update((mover_id, keeper_id))
    return merges


def _mover_and_keeper(a: GroupRecency, b: GroupRecency, quiet: set[str]) -> tuple[GroupRecency, GroupRecency]:
    if (a.group_id in quiet) != (b.group_id in quiet):
        return (a, b) if a.group_id in quiet else (b, a)
    return (a, b) if (a.size, a.group_id) <= (b.size, b.group_id) else (b, a)
