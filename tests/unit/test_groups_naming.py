from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.groups.naming import group_channel_name

SLACK_CHANNEL_NAME = re.compile(r"[a-z0-9_-]{1,80}")


@pytest.mark.parametrize(
    ("cohort", "offset", "expected"),
    [
        ("fastbook-2026", 330, "fastbook-2026-utc-plus-5-30"),
        ("Fastbook 2026", -180, "fastbook-2026-utc-minus-3"),
        ("Fastbook 2026", -210, "fastbook-2026-utc-minus-3-30"),
        ("Fastbook 2026", 765, "fastbook-2026-utc-plus-12-45"),
        ("Fastbook 2026", 0, "fastbook-2026-utc"),
        ("Fastbook 2026", 337, "fastbook-2026-utc-plus-5-30"),  # a centre between zones is labelled by the nearer
        ("Café Déjà Vu 🚀", 60, "cafe-deja-vu-utc-plus-1"),
        ("  fast.ai -- book club!! ", 60, "fast-ai-book-club-utc-plus-1"),
        ("深度学习", 540, "study-group-utc-plus-9"),
        ("snake_case_cohort", 60, "snake_case_cohort-utc-plus-1"),
    ],
)
def test_examples(cohort: str, offset: int, expected: str) -> None:
    assert group_channel_name(cohort, offset, []) == expected


def test_clashes_get_numbered_case_insensitively() -> None:
    existing = {"Fastbook-2026-UTC-Plus-5-30", "fastbook-2026-utc-plus-5-30-2"}
    assert group_channel_name("fastbook 2026", 330, existing) == "fastbook-2026-utc-plus-5-30-3"
    assert group_channel_name("fastbook 2026", 330, set()) == "fastbook-2026-utc-plus-5-30"


def test_long_cohort_names_give_way_to_the_zone_and_number() -> None:
    long_name = "a very long cohort name " * 10
    first = group_channel_name(long_name, -600, [])
    second = group_channel_name(long_name, -600, [first])
    assert len(first) <= 80 and first.endswith("-utc-minus-10")
    assert len(second) <= 80 and second.endswith("-utc-minus-10-2")
    assert "--" not in first


@settings(max_examples=150, derandomize=True)
@given(
    cohort=st.text(max_size=120),
    offset=st.integers(-720, 840),
    existing=st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_", max_size=90), max_size=5),
)
def test_always_a_valid_unused_slack_name(cohort: str, offset: int, existing: list[str]) -> None:
    name = group_channel_name(cohort, offset, existing)
    assert SLACK_CHANNEL_NAME.fullmatch(name)
    assert name.lower() not in {e.lower() for e in existing}
    taken = [*existing, name]
    assert group_channel_name(cohort, offset, taken) != name
