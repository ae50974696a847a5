"""Split a cohort into small study groups whose members live at similar times of day.

Offsets live on a 24-hour circle: UTC+13 and UTC-10 are an hour apart, not 23.
The *spread* of a group is the length of the shortest arc of that circle holding
all of its members' offsets, and ``form_groups`` minimises the largest spread of
any group exactly, with every group's size in ``[min_size, max_size]``.

Why consecutive runs of the sorted circle are enough
----------------------------------------------------
Sort the members around the circle (equal offsets broken by position) and give
each group of a partition whose spreads are all at most D an *arc*: a run of
consecutive positions from one of its members to another that holds all of them
and spans at most D minutes. Suppose some arc holds a member of another group;
call the two groups A and B and their union U.

* If some slot between neighbouring positions lies outside both arcs, cut the
  circle there: both arcs become intervals of a line. Say A holds the first
  member of U. Give A the first |A| members of U and B the rest. A's new arc
  lies inside A's old one; B's new arc lies inside B's old one, or inside A's if
  A also held the last member of U.
* Otherwise the two arcs cover the circle. The stretch that only A's arc
  covers contains no member of B, so the members of U there are A's, and
  likewise for B. A run of |A| consecutive members of U that contains A's
  private stretch fits inside A's arc, and its complement in U fits inside B's.

Either way the sizes are kept, no arc grows beyond D minutes, and the number of
positions covered by arcs, counted with multiplicity, strictly drops (the arcs
overlapped or one held a foreign member). Repeating this ends when no arc holds
a foreign member, i.e. every group is a run of consecutive positions spanning at
most D minutes, *with the same multiset of group sizes*. Hence:

1. ``feasible(D)``: can the sorted circle be cut into runs of [min, max]
   members, each spanning at most D minutes? It is monotone in D, and the
   optimum D* is the span of one of the runs, so a binary search over the
   sorted spans of all runs of [min, max] consecutive members finds it.
2. Every run partition has a boundary at each gap wider than D (no run can
   span it) and among any ``max_size`` consecutive slots (no run is longer).
   So one cut suffices when some gap exceeds D, otherwise ``max_size`` cuts;
   each cut turns the circle into a line solved by an O(n) prefix DP with a
   two-pointer window and prefix counts of reachable ends.
3. Among partitions with largest spread D*, a second DP over the same runs
   minimises the sum of squared differences between group sizes and
   ``target_size``. That cost depends only on the multiset of sizes, which the
   argument above preserves, so it is optimal over *all* partitions, not just
   runs. Preference compatibility is the last tie-break and is exact only among
   run partitions: the cost of a group is the number of members with stated
   preferences that differ from the group's most common preferences, and
   members with equal offsets are ordered by their preferences so that runs
   keep like-minded people together.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.groups.circle import MINUTES_PER_DAY, circular_center, circular_spread


@dataclass(frozen=True)
class Member:
    user_id: str
    offset_minutes: int
    prefers: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Group:
    members: tuple[Member, ...]
    spread_minutes: int
    center_offset_minutes: int


@dataclass(frozen=True)
class Partition:
    groups: list[Group]
    waiting: list[str]
    largest_spread_minutes: int
    notes: list[str]


def form_groups(
    members: Sequence[Member],
    min_size: int = 4,
    max_size: int = 8,
    target_size: int = 6,
) -> Partition:
    """Partition ``members`` into groups minimising the largest time spread in any group.

    Every member ends up in exactly one group, except that a lone member (n < 2)
    waits. When the size bounds cannot be met the smallest deviation is used and
    ``notes`` says so in a sentence fit to show an organiser.
    """
    _check_bounds(min_size, max_size)
    _check_unique(members)
    count = len(members)
    if count < 2:
        lone = "Only one member signed up, so no group was formed; they are waiting for more people."
        notes = [lone] if count == 1 else []
        return Partition(groups=[], waiting=[m.user_id for m in members], largest_spread_minutes=0, notes=notes)
    if count < min_size:
        group = _make_group(tuple(members))
        note = (
            f"Only {count} members signed up, fewer than the minimum group size of {min_size},"
            " so they form one group together."
        )
        return Partition([group], [], group.spread_minutes, [note])

    low, high, notes = _workable_bounds(count, min_size, max_size)
    ordered = sorted(members, key=_circle_order)
    runs = _optimal_runs([m.offset_minutes for m in ordered], [m.prefers for m in ordered], low, high, target_size)
    groups = [_make_group(tuple(ordered[(start + k) % count] for k in range(length))) for start, length in runs]
    groups.sort(key=lambda g: (g.center_offset_minutes, g.members[0].user_id))
    return Partition(groups, [], max(g.spread_minutes for g in groups), notes)


def _circle_order(member: Member) -> tuple[int, tuple[str, ...], str]:
    return member.offset_minutes % MINUTES_PER_DAY, tuple(sorted(member.prefers)), member.user_id


def _check_bounds(min_size: int, max_size: int) -> None:
    if min_size < 1 or max_size < min_size:
        raise ValueError(f"Group sizes need 1 <= min_size <= max_size (got {min_size} and {max_size}).")


def _check_unique(members: Sequence[Member]) -> None:
    repeated = [user for user, seen in Counter(m.user_id for m in members).items() if seen > 1]
    if repeated:
        raise ValueError(f"Each member can be grouped only once; repeated: {', '.join(sorted(repeated))}.")


def _make_group(members: tuple[Member, ...]) -> Group:
    offsets = [m.offset_minutes for m in members]
    return Group(members, circular_spread(offsets), circular_center(offsets))


def sizes_can_sum_to(count: int, min_size: int, max_size: int) -> bool:
    """Whether ``count`` splits into parts of ``min_size``..``max_size``: some k has k*min <= count <= k*max."""
    fewest_groups = -(-count // max_size)
    return fewest_groups * min_size <= count


def _workable_bounds(count: int, min_size: int, max_size: int) -> tuple[int, int, list[str]]:
    """The requested bounds, or the closest ones that can hold ``count`` members.

    Widening by one step at a time and trying a larger maximum before a smaller
    minimum: a slightly big group survives drop-outs better than a tiny one.
    """
    if sizes_can_sum_to(count, min_size, max_size):
        return min_size, max_size, []
    step = 1
    while True:
        if sizes_can_sum_to(count, min_size, max_size + step):
            return min_size, max_size + step, [
                f"{count} members can't be split into groups of {min_size}–{max_size},"
                f" so groups of up to {max_size + step} were allowed."
            ]
        if min_size - step >= 2 and sizes_can_sum_to(count, min_size - step, max_size):
            return min_size - step, max_size, [
                f"{count} members can't be split into groups of {min_size}–{max_size},"
                f" so groups as small as {min_size - step} were allowed."
            ]
        step += 1


# --- the exact optimisation ------------------------------------------------------


def _optimal_runs(
    offsets: list[int],
    prefers: list[frozenset[str]],
    low: int,
    high: int,
    target: int,
) -> list[tuple[int, int]]:
    """``(start, length)`` runs of the sorted circle; see the module docstring for why this is exact."""
    count = len(offsets)
    unrolled = [offset % MINUTES_PER_DAY for offset in offsets]
    unrolled += [offset + MINUTES_PER_DAY for offset in unrolled]
    widest_slot, widest_gap = _widest_gap(unrolled, count)

    def starts_for(limit: int) -> range:
        first = (widest_slot + 1) % count
        return range(first, first + 1) if widest_gap > limit else range(first, first + min(high, count))

    # The optimum is the span of some run of low..high members, so search only those spans.
    lengths = range(low, min(high, count) + 1)
    spans = sorted({unrolled[i + length - 1] - unrolled[i] for i in range(count) for length in lengths})
    below, above = -1, len(spans) - 1  # indices into spans: infeasible / feasible
    while above - below > 1:
        middle = (below + above) // 2
        limit = spans[middle]
        if any(_line_feasible(unrolled, start % count, count, low, high, limit) for start in starts_for(limit)):
            above = middle
        else:
            below = middle
    optimum = spans[above]
    feasible_starts = [s for s in starts_for(optimum) if _line_feasible(unrolled, s % count, count, low, high, optimum)]
    return _cheapest_runs(unrolled, prefers, count, low, high, target, optimum, feasible_starts)


def _widest_gap(unrolled: list[int], count: int) -> tuple[int, int]:
    """Slot index k (between positions k and k+1) of the widest gap, and its width."""
    widths = [unrolled[k + 1] - unrolled[k] for k in range(count)]
    widest = max(range(count), key=widths.__getitem__)
    return widest, widths[widest]


def _line_feasible(unrolled: list[int], start: int, count: int, low: int, high: int, limit: int) -> bool:
    """Can positions start..start+count-1 be cut into runs of low..high members spanning <= limit?"""
    reachable_before = [0] * (count + 2)  # reachable_before[j]: reachable prefix ends among 0..j-1
    reachable_before[1] = 1
    first_allowed = 0
    for end in range(1, count + 1):
        last_offset = unrolled[start + end - 1]
        while last_offset - unrolled[start + first_allowed] > limit:
            first_allowed += 1
        lowest, highest = max(first_allowed, end - high), end - low
        reached = highest >= lowest and reachable_before[highest + 1] > reachable_before[lowest]
        reachable_before[end + 1] = reachable_before[end] + reached
        if end >= high and reachable_before[end + 1] == reachable_before[end + 1 - high]:
            return False  # no reachable end in the last `high` positions: nothing further is reachable
    return reachable_before[count + 1] > reachable_before[count]


def _cheapest_runs(
    unrolled: list[int],
    prefers: list[frozenset[str]],
    count: int,
    low: int,
    high: int,
    target: int,
    limit: int,
    starts: Sequence[int],
) -> list[tuple[int, int]]:
    """Among run partitions spanning <= limit, the one with the lowest (size cost, preference cost)."""
    track_prefers = any(prefers)
    preference_weight = count + 1  # preference cost never exceeds count, so sizes always dominate
    best_total, best_runs = None, None
    for start in starts:
        start %= count
        cost, runs = _cheapest_from(
            unrolled, prefers if track_prefers else None, start, count, low, high, target, limit, preference_weight
        )
        if cost is not None and (best_total is None or cost < best_total):
            best_total, best_runs = cost, runs
    assert best_runs is not None, "binary search guarantees a feasible start"
    return best_runs


def _cheapest_from(
    unrolled: list[int],
    prefers: list[frozenset[str]] | None,
    start: int,
    count: int,
    low: int,
    high: int,
    target: int,
    limit: int,
    preference_weight: int,
) -> tuple[int | None, list[tuple[int, int]]]:
    size_cost = [(size - target) ** 2 * preference_weight for size in range(high + 1)]
    unreachable = -1
    best = [unreachable] * (count + 1)
    best[0] = 0
    chosen_length = [0] * (count + 1)
    first_allowed = 0
    for end in range(1, count + 1):
        last_offset = unrolled[start + end - 1]
        while last_offset - unrolled[start + first_allowed] > limit:
            first_allowed += 1
        longest = min(high, end - first_allowed)
        if longest < low:
            continue
        penalties = _preference_penalties(prefers, start, count, end, longest) if prefers is not None else None
        for length in range(low, longest + 1):
            before = best[end - length]
            if before == unreachable:
                continue
            total = before + size_cost[length] + (penalties[length] if penalties is not None else 0)
            if best[end] == unreachable or total < best[end]:
                best[end], chosen_length[end] = total, length
    if best[count] == unreachable:
        return None, []
    runs = []
    end = count
    while end > 0:
        length = chosen_length[end]
        runs.append(((start + end - length) % count, length))
        end -= length
    return best[count], runs


def _preference_penalties(prefers: list[frozenset[str]], start: int, count: int, end: int, longest: int) -> list[int]:
    """penalties[L]: members of the run of L ending at ``end`` whose stated preferences differ from its most common."""
    penalties = [0] * (longest + 1)
    tally: Counter[frozenset[str]] = Counter()
    stated = most_common = 0
    for length in range(1, longest + 1):
        wanted = prefers[(start + end - length) % count]
        if wanted:
            stated += 1
            tally[wanted] += 1
            most_common = max(most_common, tally[wanted])
        penalties[length] = stated - most_common
    return penalties
