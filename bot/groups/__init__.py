"""Time-zone study groups: parse zones, form groups, suggest meeting slots, name channels, keep groups healthy.

Pure domain logic: no Slack, no database, no clock — instants and zones are passed in.
"""
from __future__ import annotations

from bot.groups.forming import (
    Formation,
    Group,
    Member,
    circle_distance,
    circular_spread,
    form_groups,
)
from bot.groups.naming import group_channel_name
from bot.groups.placement import (
    GroupActivity,
    GroupState,
    Placement,
    form_from_waiting,
    place_late_joiner,
    suggest_merges,
)
from bot.groups.slots import SlotSuggestion, meeting_slots
from bot.groups.zones import (
    AmbiguousZone,
    Zone,
    ZoneError,
    ZoneParse,
    parse_zone,
    zone_from_name,
)

__all__ = [
    "AmbiguousZone",
    "Formation",
    "Group",
    "GroupActivity",
    "GroupState",
    "Member",
    "Placement",
    "SlotSuggestion",
    "Zone",
    "ZoneError",
    "ZoneParse",
    "circle_distance",
    "circular_spread",
    "form_from_waiting",
    "form_groups",
    "group_channel_name",
    "meeting_slots",
    "parse_zone",
    "place_late_joiner",
    "suggest_merges",
    "zone_from_name",
]
