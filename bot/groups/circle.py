"""Offsets on the 24-hour circle: UTC+13 and UTC-10 are an hour apart, not 23.

Shared by forming groups, placing late joiners and suggesting merges.
"""
from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

MINUTES_PER_DAY = 1440

# Real-world offsets run from UTC-12 to UTC+14; the circle's wrap means a
# centre can be written two ways, and labels should use a real one.
_WESTMOST_OFFSET = -720
_EASTMOST_OFFSET = 840


def circle_distance(a_minutes: int, b_minutes: int) -> int:
    """Minutes between two offsets going the short way round the day."""
    difference = (a_minutes - b_minutes) % MINUTES_PER_DAY
    return min(difference, MINUTES_PER_DAY - difference)


def shortest_arc(offsets: Sequence[int]) -> tuple[int, int]:
    """``(start, length)`` of the shortest arc holding every offset; start is in [0, 1440).

    The shortest arc is the circle minus its widest empty gap.
    """
    if not offsets:
        raise ValueError("shortest_arc needs at least one offset")
    points = sorted(offset % MINUTES_PER_DAY for offset in offsets)
    widest_gap = points[0] + MINUTES_PER_DAY - points[-1]
    start = points[0]
    for previous, current in pairwise(points):
        if current - previous > widest_gap:
            widest_gap, start = current - previous, current
    return start, MINUTES_PER_DAY - widest_gap


def circular_spread(offsets: Sequence[int]) -> int:
    """Length in minutes of the shortest arc of the day holding every offset."""
    return shortest_arc(offsets)[1]


def circular_center(offsets: Sequence[int]) -> int:
    """Middle of the shortest arc, written as a real offset close to the given ones.

    A centre in (UTC+12, UTC+14] is also a negative offset; the spelling nearest to
    the members' own offsets wins, so a Tonga/Kiribati group stays "+13:30".
    """
    start, length = shortest_arc(offsets)
    middle = (start + length // 2) % MINUTES_PER_DAY
    spellings = [
        candidate
        for candidate in (middle - MINUTES_PER_DAY, middle)
        if _WESTMOST_OFFSET <= candidate <= _EASTMOST_OFFSET
    ]
    return min(spellings, key=lambda c: (sum(abs(c - offset) for offset in offsets), abs(c)))
