from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.groups.partition import Member
from bot.groups.placement import (
    GroupRecency,
    GroupState,
    form_from_waiting,
    place_late_joiner,
    suggest_merges,
)

NOW = datetime(2026, 5, 1, 12, tzinfo=UTC)
REAL_OFFSETS = [-600, -480, -300, -180, 0, 60, 330, 345, 540, 570, 780, 840]


# --- late joiners ---------------------------------------------------------------


def test_late_joiner_goes_to_the_nearest_group_with_room() -> None:
    groups = [GroupState("G-india", 330, 6), GroupState("G-europe", 60, 5), GroupState("G-full", 345, 8)]
    placement = place_late_joiner(Member("U1", 345), groups, max_size=8)
    assert placement.group_id == "G-india" and placement.distance_minutes == 15
    assert not placement.waiting


def test_nearest_round_the_back_of_the_clock() -> None:
    groups = [GroupState("G-hawaii", -600, 4), GroupState("G-nz", 720, 4)]
    assert place_late_joiner(Member("U1", 780), groups, max_size=8).group_id == "G-hawaii"


def test_tie_goes_to_the_smaller_group() -> None:
    groups = [GroupState("G-a", 0, 6), GroupState("G-b", 120, 4)]
    assert place_late_joiner(Member("U1", 60), groups, max_size=8).group_id == "G-b"


def test_too_far_or_all_full_means_waiting() -> None:
    groups = [GroupState("G-far", 300, 4), GroupState("G-full", 0, 8)]
    placement = place_late_joiner(Member("U1", 0), groups, max_size=8)
    assert placement.waiting and placement.group_id is None
    assert place_late_joiner(Member("U1", 0), [], max_size=8).waiting
    assert place_late_joiner(Member("U1", 0), [GroupState("G-edge", 180, 4)], max_size=8).group_id == "G-edge"


# --- new groups from the waiting list ---------------------------------------------


def spread(offsets: list[int]) -> int:
    return min(max((o - start) % 1440 for o in offsets) for start in offsets)


def most_placeable(offsets: list[int], low: int, high: int, limit: int) -> int:
    """Brute force: the most members that fit in disjoint groups of low..high spanning <= limit."""
    best = 0

    def search(remaining: tuple[int, ...], placed: int) -> None:
        nonlocal best
        best = max(best, placed)
        if not remaining:
            return
        first, rest = remaining[0], remaining[1:]
        search(rest, placed)  # the first stays waiting
        for size in range(low - 1, high):
            for others in combinations(rest, size):
                if spread([offsets[i] for i in (first, *others)]) <= limit:
                    search(tuple(i for i in rest if i not in others), placed + size + 1)

    search(tuple(range(len(offsets))), 0)
    return best


@settings(max_examples=60, derandomize=True, deadline=None)
@given(
    raw=st.lists(st.sampled_from(REAL_OFFSETS) | st.integers(-720, 840), max_size=8),
    low=st.integers(2, 3),
    extra=st.integers(0, 2),
    limit=st.sampled_from([0, 60, 180]),
)
def test_waiting_list_matches_brute_force(raw: list[int], low: int, extra: int, limit: int) -> None:
    members = [Member(f"U{i}", offset) for i, offset in enumerate(raw)]
    groups = form_from_waiting(members, low, low + extra, limit)
    placed = [m.user_id for g in groups for m in g]
    assert len(placed) == len(set(placed))
    for group in groups:
        assert low <= len(group) <= low + extra
        assert spread([m.offset_minutes for m in group]) <= limit
    assert len(placed) == most_placeable(raw, low, low + extra, limit)


def test_waiting_members_far_apart_keep_waiting() -> None:
    members = [Member("U1", 0), Member("U2", 300), Member("U3", 600), Member("U4", 900)]
    assert form_from_waiting(members, 2, 4) == []


def test_waiting_groups_are_as_tight_as_possible() -> None:
    members = [Member(f"U{i}", offset) for i, offset in enumerate([0, 0, 170, 170, 340, 340])]
    groups = form_from_waiting(members, 2, 2, 180)
    assert sorted(tuple(m.offset_minutes for m in g) for g in groups) == [(0, 0), (170, 170), (340, 340)]


def test_waiting_groups_prefer_the_tighter_choice_of_who_waits() -> None:
    members = [Member(f"U{i}", offset) for i, offset in enumerate([0, 10, 100, 170, 180])]
    groups = form_from_waiting(members, 2, 2, 180)
    assert sorted(tuple(m.offset_minutes for m in g) for g in groups) == [(0, 10), (170, 180)]


def test_waiting_group_across_midnight_utc() -> None:
    members = [Member(f"U{i}", offset) for i, offset in enumerate([-10, 5, -5, 10])]
    groups = form_from_waiting(members, 4, 4, 60)
    assert [sorted(m.offset_minutes for m in g) for g in groups] == [[-10, -5, 5, 10]]


def test_waiting_list_too_short() -> None:
    assert form_from_waiting([Member("U1", 0)], 2, 4) == []
    with pytest.raises(ValueError):
        form_from_waiting([Member("U1", 0)], 3, 2)


# --- merges -----------------------------------------------------------------------


def activity(group_id: str, center: int, size: int, quiet_days: int | None, age_days: int = 60) -> GroupRecency:
    last = None if quiet_days is None else NOW - timedelta(days=quiet_days)
    return GroupRecency(group_id, center, size, last, NOW - timedelta(days=age_days))


def test_quiet_group_merges_into_a_close_active_one() -> None:
    groups = [activity("G-quiet", 330, 3, 20), activity("G-busy", 345, 4, 1), activity("G-far", 0, 2, 1)]
    assert suggest_merges(groups, NOW) == [("G-quiet", "G-busy")]


def test_two_active_groups_are_left_alone() -> None:
    assert suggest_merges([activity("G-a", 0, 3, 1), activity("G-b", 0, 3, 2)], NOW) == []


def test_merge_must_fit_and_be_close() -> None:
    assert suggest_merges([activity("G-a", 0, 5, 30), activity("G-b", 0, 4, 1)], NOW, max_size=8) == []
    assert suggest_merges([activity("G-a", 0, 3, 30), activity("G-b", 240, 3, 1)], NOW) == []
    assert suggest_merges([activity("G-a", 780, 3, 30), activity("G-b", -600, 3, 1)], NOW) == [("G-a", "G-b")]


def test_silent_since_creation_counts_as_quiet_only_once_old_enough() -> None:
    new_and_silent = activity("G-new", 0, 3, None, age_days=3)
    old_and_silent = activity("G-old", 0, 3, None, age_days=30)
    assert suggest_merges([new_and_silent, activity("G-busy", 0, 3, 1)], NOW) == []
    assert suggest_merges([old_and_silent, activity("G-busy", 0, 3, 1)], NOW) == [("G-old", "G-busy")]


def test_each_group_is_suggested_once_closest_first() -> None:
    groups = [
        activity("G-q1", 0, 2, 30),
        activity("G-q2", 60, 2, 30),
        activity("G-busy", 30, 3, 1),
    ]
    merges = suggest_merges(groups, NOW)
    ids = [group_id for pair in merges for group_id in pair]
    assert len(ids) == len(set(ids))
    assert merges == [("G-q1", "G-busy")]  # both quiet groups are 30 minutes away; G-q1 wins on id


def test_two_quiet_groups_may_merge_smaller_into_larger() -> None:
    groups = [activity("G-big", 0, 4, 30), activity("G-small", 30, 2, 30)]
    assert suggest_merges(groups, NOW) == [("G-small", "G-big")]
