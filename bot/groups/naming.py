"""Slack channel names for study groups, e.g. ``fastbook-2026-utc-plus-5-30``.

Slack channel names may hold only lowercase letters, digits, hyphens and
underscores, at most 80 characters. The zone part is what members scan for in
the channel list, so it is never truncated; the cohort part gives way instead.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection

MAX_CHANNEL_NAME = 80
FALLBACK_COHORT_SLUG = "study-group"
_MINUTES_PER_DAY = 1440
_LABEL_ROUNDING = 15  # real offsets are whole quarter hours; a centre between two is labelled by the nearer


def group_channel_name(cohort_name: str, center_offset_minutes: int, existing: Collection[str]) -> str:
    """A free channel name for a group centred on ``center_offset_minutes``.

    Clashes with ``existing`` (compared case-insensitively) get ``-2``, ``-3``, … .
    """
    taken = {name.lower() for name in existing}
    cohort = slugify(cohort_name) or FALLBACK_COHORT_SLUG
    zone = offset_slug(center_offset_minutes)
    number = 1
    while True:
        suffix = f"-{zone}" + (f"-{number}" if number > 1 else "")
        candidate = cohort[: MAX_CHANNEL_NAME - len(suffix)].rstrip("-_") + suffix
        if candidate not in taken:
            return candidate
        number += 1


def slugify(text: str) -> str:
    """Lowercase ASCII letters, digits, hyphens and underscores: "Café Fastbook 🚀 2026" → "cafe-fastbook-2026"."""
    decomposed = unicodedata.normalize("NFKD", text)
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    hyphenated = re.sub(r"[^a-z0-9_]+", "-", ascii_only)
    return re.sub(r"-{2,}", "-", hyphenated).strip("-_")


def offset_slug(offset_minutes: int) -> str:
    """``utc``, ``utc-plus-5-30``, ``utc-minus-3``; rounded to the nearest quarter hour."""
    rounded = round(offset_minutes / _LABEL_ROUNDING) * _LABEL_ROUNDING
    if not -720 <= rounded <= 840:
        rounded = (rounded + 720) % _MINUTES_PER_DAY - 720  # bring a stray value back to a real offset
    if rounded == 0:
        return "utc"
    direction = "plus" if rounded > 0 else "minus"
    hours, minutes = divmod(abs(rounded), 60)
    return f"utc-{direction}-{hours}" + (f"-{minutes:02d}" if minutes else "")
