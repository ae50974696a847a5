"""A scripted 8-week cohort of 200 members, and what the bot must do with it — computed here, independently.

The cohort (Europe/London) opens week 1 on Tue 3 Mar 2026 18:00, has a break before week 7, and a live
session on Thursdays 18:00. Both the US (8 Mar) and the UK (29 Mar) move their clocks in weeks 1–4, and
Sydney moves back on 5 Apr (week 5), so planning reminders cross three daylight-saving changes.

Behaviour by `index % 10`:
  0–3 steady      active every week (one answer; the first five also post twice a week in group "g-steady")
  4–5 drop        active weeks 1–2, then nothing (three of them form group "g-drop")
  6   comeback    active weeks 1–2, quiet 3–4, back in week 5 with a share (after their nudge), active after
  7   opted out   `nudges off` in week 1, active week 1 only; every other one shares in weeks 5 and 6
  8   paused      active weeks 1–2, `pause 3` just after week 3 opens
  9   late joiner joins a few days into week 4, never active
Plans: index % 3 == 0 → "Wed 19:00", == 1 → "Sat 10:00", == 2 → none; zones cycle through ZONES
(members in the fixed-offset zone have no plan).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
ZONES = ("America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Sydney", "UTC-03:00")
WEEKS = 8
BREAK_BEFORE = 7
SESSION_DAY, SESSION_TIME = 3, time(18, 0)  # Thursday
MEMBERS = 200
PLANS = {0: ("Wed 19:00", 2, time(19, 0)), 1: ("Sat 10:00", 5, time(10, 0))}
ANSWER_DELAY = timedelta(hours=12)
NUDGE_DELAY = timedelta(days=1)
COMEBACK_DELAY = timedelta(days=1, hours=3)
LATE_JOIN_DELAY = timedelta(days=3)
PAUSE_DELAY = timedelta(hours=2)
PAUSE_WEEKS = 3


def user(index: int) -> str:
    return f"UM{index:04d}"


def kind(index: int) -> str:
    return ("steady", "steady", "steady", "steady", "drop", "drop", "comeback", "opted", "paused", "late")[index % 10]


def zone(index: int) -> str:
    return ZONES[index % len(ZONES)]


def opens(week: int) -> datetime:
    """Week 1 opens Tue 3 Mar 18:00 London; a break before week 7 adds one calendar week."""
    offset = week - 1 + (1 if week >= BREAK_BEFORE else 0)
    local = datetime(2026, 3, 3, 18, 0) + timedelta(weeks=offset)
    return local.replace(tzinfo=LONDON).astimezone(UTC)


def closes(week: int) -> datetime:
    local = opens(week).astimezone(LONDON).replace(tzinfo=None) + timedelta(weeks=1)
    return local.replace(tzinfo=LONDON).astimezone(UTC)


def session(week: int) -> datetime:
    local_open = opens(week).astimezone(LONDON)
    day = local_open.date() + timedelta(days=(SESSION_DAY - local_open.weekday()) % 7)
    return datetime.combine(day, SESSION_TIME).replace(tzinfo=LONDON).astimezone(UTC)


def joined_at(index: int) -> datetime:
    return opens(4) + LATE_JOIN_DELAY if kind(index) == "late" else datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def zoneinfo(name: str):  # type: ignore[no-untyped-def]
    if name.startswith("UTC-") or name.startswith("UTC+"):
        sign = 1 if name[3] == "+" else -1
        hours, minutes = int(name[4:6]), int(name[7:9])
        from datetime import timezone
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    return ZoneInfo(name)


def answers_in(index: int, week: int) -> bool:
    """Whether the member answers chapter `week` during week `week`."""
    role = kind(index)
    return (role == "steady" or (role in ("drop", "comeback", "paused") and week <= 2)
            or (role == "comeback" and week >= 6) or (role == "opted" and week == 1))


def shares_in(index: int, week: int) -> bool:
    return (kind(index) == "comeback" and week == 5) or (returner(index) and week in (5, 6))


def returner(index: int) -> bool:
    return kind(index) == "opted" and index % 20 == 7


def active_in(index: int, week: int) -> bool:
    return answers_in(index, week) or shares_in(index, week)


def share_at(index: int, week: int) -> datetime:
    return opens(week) + (COMEBACK_DELAY if kind(index) == "comeback" else timedelta(hours=3))


def in_steady_group(index: int) -> bool:
    return kind(index) == "steady" and index < 50 and index % 10 == 0


def in_drop_group(index: int) -> bool:
    return index in (4, 14, 24)


# ---- what the bot must do --------------------------------------------------------------------------


def plan_of(index: int) -> tuple[str, int, time] | None:
    """Members in the fixed-offset zone have no plan (fewer distinct instants to tick at; unit-tested instead)."""
    return None if zone(index).startswith("UTC") else PLANS.get(index % 3)


def reminder_at(index: int, week: int) -> datetime | None:
    """The first local plan weekday/time at or after the week opens, in the member's zone (None: no plan)."""
    plan = plan_of(index)
    if plan is None:
        return None
    _, weekday, at = plan
    tz = zoneinfo(zone(index))
    local_open = opens(week).astimezone(tz)
    for days in range(8):
        day = local_open.date() + timedelta(days=days)
        if day.weekday() != weekday:
            continue
        candidate = datetime.combine(day, at).replace(tzinfo=tz)
        if candidate >= local_open:
            return candidate.astimezone(UTC)
    raise AssertionError("a weekday always comes round within 8 days")


def paused_until(index: int) -> datetime | None:
    return opens(3) + PAUSE_DELAY + timedelta(weeks=PAUSE_WEEKS) if kind(index) == "paused" else None


def expected_reminders() -> dict[tuple[str, int], datetime]:
    """(member, week) → when the reading reminder DM must arrive."""
    expected = {}
    for index in range(MEMBERS):
        for week in range(1, WEEKS + 1):
            at = reminder_at(index, week)
            if at is None or at >= closes(week):
                continue
            if kind(index) == "late" and at < joined_at(index):
                continue
            until = paused_until(index)
            if until is not None and opens(3) + PAUSE_DELAY <= at < until:
                continue
            expected[(user(index), week)] = at
    return expected


def expected_nudges() -> dict[tuple[str, int], datetime]:
    """Worked out by hand from the rules (see the module docstring) — not by running them."""
    rounds = {5: ("drop", "comeback"), 6: ("paused", "late"), 7: ("drop", "paused", "late")}
    return {(user(index), week): opens(week) + NUDGE_DELAY
            for week, kinds in rounds.items() for index in range(MEMBERS) if kind(index) in kinds}


def expected_welcomes() -> set[str]:
    return {user(index) for index in range(MEMBERS) if kind(index) == "comeback" or returner(index)}


def active_per_week() -> list[int]:
    return [sum(active_in(i, week) for i in range(MEMBERS)) for week in range(1, WEEKS + 1)]


def answers_per_chapter() -> dict[int, int]:
    return {week: sum(answers_in(i, week) for i in range(MEMBERS)) for week in range(1, WEEKS + 1)}


@dataclass(frozen=True)
class Step:
    at: datetime
    order: int  # script actions before ticks at the same instant
    action: str
    index: int = -1
    week: int = 0
