"""`groups form --dry-run` and the *Preview* button: the groups a formation run would make, and who would wait.

The preview runs the real planning (`formation.plan_formation`) in a transaction that is rolled back,
so it is the run's own decision, not an estimate; nothing is written and nothing reaches Slack.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from bot.blocks import counted
from bot.calendar.zones import Zone
from bot.database import Database
from bot.groups.circle import circular_spread
from bot.groups.formation import Plan, plan_formation
from bot.groups.provisioning import slots_for
from bot.groups.records import active_members, cohort_of, zone_of
from bot.models.groups import GroupMember


@dataclass(frozen=True)
class SlotPreview:
    utc: datetime
    local: dict[str, str]  # zone description -> "Tue 19:30" in that zone


@dataclass(frozen=True)
class GroupPreview:
    name: str
    members: list[tuple[str, str]]  # (user id, zone description), west to east
    spread_minutes: int
    slots: list[SlotPreview]
    slots_fit: bool


@dataclass(frozen=True)
class Preview:
    cohort: str
    first: bool
    groups: list[GroupPreview]
    waiting: list[str]
    largest_spread: int
    notes: list[str]

    def plan_key(self) -> list[tuple[str, tuple[str, ...]]]:
        """(group name, member ids): what must equal the real run's plan."""
        return [(g.name, tuple(sorted(user for user, _ in g.members))) for g in self.groups]


async def preview_formation(db: Database, cohort_id: int, now: datetime, *,
                            min_size: int | None = None, max_size: int | None = None) -> Preview:
    """Plan exactly as `formation.form` would, describe it, and roll everything back."""
    async with db.sessions() as session:
        try:
            cohort = await cohort_of(session, cohort_id)
            plan = await plan_formation(session, cohort, now, min_size, max_size)
            members = await active_members(session, cohort_id)
            return _describe(cohort.name, plan, members, now)
        finally:
            await session.rollback()


def _describe(cohort_name: str, plan: Plan, members: list[GroupMember], now: datetime) -> Preview:
    by_user = {m.user_id: m for m in members}
    groups = [_group(planned.name, [by_user[u] for u in planned.members], now) for planned in plan.groups]
    waiting = sorted(m.user_id for m in members if m.group_id is None)
    return Preview(cohort_name, plan.first, groups, waiting, plan.largest_spread, plan.notes)


def _group(name: str, members: list[GroupMember], now: datetime) -> GroupPreview:
    ordered = sorted(members, key=lambda m: (zone_of(m).offset_minutes(now), m.user_id))
    zones = {zone_of(m).describe(now): zone_of(m) for m in ordered}
    suggestion = slots_for(ordered, now)
    slots = [SlotPreview(start, {described: _local(start, zone) for described, zone in zones.items()})
             for start in suggestion.slots]
    spread = circular_spread([zone_of(m).offset_minutes(now) for m in ordered])
    return GroupPreview(name, [(m.user_id, zone_of(m).describe(now)) for m in ordered], spread, slots,
                        suggestion.all_fit)


def _local(start: datetime, zone: Zone) -> str:
    return (start + timedelta(minutes=zone.offset_minutes(start))).strftime("%a %H:%M")


def hours(minutes: int) -> str:
    """A spread in hours for an organizer: `3.5 h`."""
    return f"{minutes / 60:g} h"


def preview_lines(preview: Preview) -> list[str]:
    """The dry run as plain text: per group its members' zones, spread and slots; then who would wait."""
    what = "first formation" if preview.first else "new groups from the waiting list"
    lines = [f"Dry run for {preview.cohort} ({what}): {counted(len(preview.groups), 'group')},"
             f" {counted(sum(len(g.members) for g in preview.groups), 'member')}, {len(preview.waiting)} waiting;"
             f" the widest group would span {hours(preview.largest_spread)}. Nothing was created or sent.",
             *preview.notes]
    for group in preview.groups:
        lines.append(f"{group.name}: {counted(len(group.members), 'member')}, spread {hours(group.spread_minutes)}")
        lines.append("  zones: " + ", ".join(_counted(zone for _, zone in group.members)))
        for slot in group.slots:
            local = "; ".join(f"{zone} {when}" for zone, when in slot.local.items())
            lines.append(f"  meet {slot.utc:%a %H:%M} UTC — {local}")
        if not group.slots_fit:
            lines.append("  (no hour suits everyone's 07:00–22:00: these are the least-bad ones)")
    lines.append(f"would wait: {', '.join(preview.waiting) or 'nobody'}")
    return lines


def _counted(zones: Any) -> list[str]:
    counts: dict[str, int] = {}
    for zone in zones:
        counts[zone] = counts.get(zone, 0) + 1
    return [f"{zone} ×{count}" if count > 1 else zone for zone, count in counts.items()]


def preview_json(preview: Preview) -> dict[str, Any]:
    return {
        "cohort": preview.cohort, "first": preview.first, "largest_spread_minutes": preview.largest_spread,
        "notes": preview.notes, "waiting": preview.waiting,
        "groups": [{"name": g.name, "members": [{"user": u, "zone": z} for u, z in g.members],
                    "spread_minutes": g.spread_minutes, "slots_fit": g.slots_fit,
                    "slots": [{"utc": s.utc.strftime("%Y-%m-%dT%H:%M:%SZ"), "local": s.local} for s in g.slots]}
                   for g in preview.groups],
    }
