"""Suggest weekly meeting times that are humane for everyone in a group.

A candidate is a one-hour window starting on a whole or half hour UTC (half
hours keep UTC+5:30 and UTC-3:30 members from being pushed to odd local times
for no gain; UTC+5:45 members get :15/:45 starts, which is the best any
common grid can do for them). Each member's local time is computed with their
zone's real offset at that instant, so daylight saving is honoured.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.blocks import counted
from bot.calendar.zones import Zone

MEETING = timedelta(hours=1)
STEP = timedelta(minutes=30)
WEEK = timedelta(days=7)
MINUTES_PER_DAY = 1440

# Local windows a slot can be preferred for; without a stated time-of-day
# preference, early evening suits most people who study after work or school.
_TIME_OF_DAY_WINDOWS = {"mornings": (7 * 60, 12 * 60), "afternoons": (12 * 60, 18 * 60), "evenings": (18 * 60, 22 * 60)}
_DEFAULT_WINDOW = (18 * 60, 21 * 60)



@dataclass(frozen=True)
class SlotSuggestion:
    slots: list[datetime]  # UTC starts, in chronological order
    all_fit: bool
    note: str


@dataclass(frozen=True)
class _Candidate:
    start: datetime
    worst_minutes_outside: int
    total_minutes_outside: int
    day_matches: int
    time_matches: int
    minutes_from_preferred: int
    reference_date: date


def meeting_slots(
    zones: Sequence[Zone],
    week_start_utc: datetime,
    count: int = 3,
    earliest: int = 7,
    latest: int = 22,
    prefers: frozenset[str] = frozenset(),
) -> SlotSuggestion:
    """Up to ``count`` one-hour slots in the week from ``week_start_utc``, on different days where possible.

    ``zones`` has one entry per member (repeats weigh more). A slot *fits* when
    every member's hour starts at or after ``earliest`` and ends by ``latest``
    local time. Fitting slots are ranked by how many members get their
    preferred kind of day ("weekdays"/"weekends" in ``prefers``), then how many
    get their preferred time of day ("mornings"/"afternoons"/"evenings",
    default 18:00-21:00). If nothing fits, the least-bad slots are returned:
    smallest worst-case distance, in minutes, from a member's window.
    """
    if not zones:
        raise ValueError("meeting_slots needs at least one member's zone.")
    if not 0 <= earliest < latest <= 24:
        raise ValueError(f"Need 0 <= earliest < latest <= 24 (got {earliest} and {latest}).")
    if week_start_utc.tzinfo is None:
        raise ValueError("week_start_utc must be an aware datetime.")
    weights = Counter(zones)
    reference = weights.most_common(1)[0][0]
    window = (earliest * 60, latest * 60)
    starts = _candidate_starts(week_start_utc.astimezone(UTC))
    candidates = [_assess(start, weights, reference, window, prefers) for start in starts]
    fitting = [c for c in candidates if c.worst_minutes_outside == 0]
    if fitting:
        ranked = sorted(fitting, key=lambda c: (-c.day_matches, -c.time_matches, c.minutes_from_preferred, c.start))
    else:
        ranked = sorted(
            candidates,
            key=lambda c: (c.worst_minutes_outside, c.total_minutes_outside, -c.day_matches, -c.time_matches, c.start),
        )
    chosen = _spread_over_days(_tiers(ranked, bool(fitting)), count)
    return SlotSuggestion(
        slots=sorted(c.start for c in chosen),
        all_fit=bool(fitting),
        note=_note(chosen, len(fitting), count, sum(weights.values()), earliest, latest, prefers),
    )


def _candidate_starts(week_start: datetime) -> list[datetime]:
    aligned = week_start.replace(minute=0, second=0, microsecond=0)
    while aligned < week_start:
        aligned += STEP
    starts = []
    while aligned < week_start + WEEK:
        starts.append(aligned)
        aligned += STEP
    return starts


def _assess(
    start: datetime,
    weights: Counter[Zone],
    reference: Zone,
    window: tuple[int, int],
    prefers: frozenset[str],
) -> _Candidate:
    worst = total = day_matches = time_matches = from_preferred = 0
    wanted_windows = [_TIME_OF_DAY_WINDOWS[p] for p in sorted(prefers) if p in _TIME_OF_DAY_WINDOWS]
    wanted_windows = wanted_windows or [_DEFAULT_WINDOW]
    wanted_weekend = _wanted_weekend(prefers)
    for zone, members in weights.items():
        local_start, length = _local_start_and_length(zone, start)
        begins = local_start.hour * 60 + local_start.minute
        outside = _minutes_outside(begins, length, window)
        worst, total = max(worst, outside), total + outside * members
        if wanted_weekend is not None and (local_start.weekday() >= 5) == wanted_weekend:
            day_matches += members
        distance = min(_minutes_outside(begins, length, wanted) for wanted in wanted_windows)
        time_matches += members if distance == 0 else 0
        from_preferred += distance * members
    reference_date = _local_start_and_length(reference, start)[0].date()
    return _Candidate(start, worst, total, day_matches, time_matches, from_preferred, reference_date)


def _local_start_and_length(zone: Zone, start: datetime) -> tuple[datetime, int]:
    """Local wall-clock start, and the hour's length in local wall minutes (0 or 120 across a DST change)."""
    local_start = start + timedelta(minutes=zone.offset_minutes(start))
    local_end = start + MEETING + timedelta(minutes=zone.offset_minutes(start + MEETING))
    return local_start.replace(tzinfo=None), int((local_end - local_start) / timedelta(minutes=1))


def _wanted_weekend(prefers: frozenset[str]) -> bool | None:
    weekdays, weekends = "weekdays" in prefers, "weekends" in prefers
    return None if weekdays == weekends else weekends


def _minutes_outside(begins: int, length: int, window: tuple[int, int]) -> int:
    """How far, in minutes round the clock, the meeting's local start is from the nearest start that would fit."""
    first, last = window[0], window[1] - length
    if last < first:
        return MINUTES_PER_DAY  # the window is shorter than the meeting (only across a DST change)
    if first <= begins <= last:
        return 0
    return min((first - begins) % MINUTES_PER_DAY, (begins - last) % MINUTES_PER_DAY)


def _tiers(ranked: list[_Candidate], all_fit: bool) -> list[list[_Candidate]]:
    """Ever larger pools to pick from, so that spreading over days never costs what matters more.

    Slots on the preferred kind of day are used up (even two on one day) before
    any on the other kind: "weekends" should not quietly become a Monday. When
    nothing fits, the least-bad slots come first of all.
    """
    best = ranked[0]
    same_day_kind = [c for c in ranked if c.day_matches == best.day_matches]
    if all_fit:
        return [same_day_kind, ranked]
    least_bad = [c for c in ranked if c.worst_minutes_outside == best.worst_minutes_outside]
    least_bad_same_day_kind = [c for c in least_bad if c.day_matches == best.day_matches]
    return [least_bad_same_day_kind, least_bad, ranked]


def _spread_over_days(tiers: list[list[_Candidate]], count: int) -> list[_Candidate]:
    """Best first, one per local day of the most common zone; then, if short, non-overlapping extras."""
    chosen: list[_Candidate] = []
    for pool in tiers:
        for candidate in pool:
            if len(chosen) < count and all(candidate.reference_date != c.reference_date for c in chosen):
                chosen.append(candidate)
        for candidate in pool:
            if len(chosen) < count and all(abs(candidate.start - c.start) >= MEETING for c in chosen):
                chosen.append(candidate)
    return chosen


def _note(
    chosen: list[_Candidate],
    fitting: int,
    count: int,
    members: int,
    earliest: int,
    latest: int,
    prefers: frozenset[str],
) -> str:
    window = f"{earliest:02d}:00–{latest:02d}:00"
    if not fitting:
        worst = max(c.worst_minutes_outside for c in chosen)
        return (
            f"No hour this week falls within {window} local time for all {counted(members, 'member')};"
            f" in these slots nobody is more than {worst} minutes outside it."
        )
    note = f"Every member is between {window} local time in these slots."
    if len(chosen) < count:
        note += f" Only {counted(len(chosen), 'slot')} this week fit everyone."
    wanted_weekend = _wanted_weekend(prefers)
    if wanted_weekend is not None and any(c.day_matches < members for c in chosen):
        kind = "weekend" if wanted_weekend else "weekday"
        note += f" Not every slot falls on a {kind} for everyone."
    return note
