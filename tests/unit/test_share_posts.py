from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.messages import ts_key, ts_to_datetime
from bot.share.posts import SharedPost

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def test_posted_at_is_exact_aware_utc() -> None:
    moment = ts_to_datetime("1700000000.123456")
    assert moment == datetime(2023, 11, 14, 22, 13, 20, 123456, tzinfo=UTC)
    assert moment.utcoffset() == timedelta(0)


def test_posted_at_accepts_a_ts_without_fraction() -> None:
    assert ts_to_datetime("1700000000") == datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC)


@pytest.mark.parametrize("bad", ["", "abc", "1700000000.", "17.1234567", "-5.000001", "1.2.3"])
def test_posted_at_rejects_what_is_not_a_slack_ts(bad: str) -> None:
    with pytest.raises(ValueError):
        ts_to_datetime(bad)


@settings(max_examples=100, derandomize=True)
@given(st.integers(0, 4_000_000_000), st.integers(0, 999_999))
def test_posted_at_matches_epoch_arithmetic(seconds: int, micros: int) -> None:
    assert ts_to_datetime(f"{seconds}.{micros:06d}") == EPOCH + timedelta(seconds=seconds, microseconds=micros)


def test_ts_key_orders_numerically_not_as_strings() -> None:
    assert ts_key("999.000001") < ts_key("1000.000000")
    assert "999.000001" > "1000.000000"  # why ts_key exists


def test_post_reactions_are_frozen_against_later_changes() -> None:
    reactions = {"tada": {"U2"}}
    post = SharedPost(ts="1.000001", user_id="U1", text="hi", reactions=reactions)  # type: ignore[arg-type]
    reactions["tada"].add("U3")
    reactions["heart"] = {"U4"}
    assert dict(post.reactions) == {"tada": frozenset({"U2"})}
    with pytest.raises(TypeError):
        post.reactions["fire"] = frozenset({"U5"})  # type: ignore[index]


def test_posts_with_the_same_content_are_equal() -> None:
    def make() -> SharedPost:
        return SharedPost(ts="1.1", user_id="U1", text="x", reactions={"a": frozenset({"U2"})}, links=["https://a.b"])  # type: ignore[arg-type]

    assert make() == make()
    assert make().links == ("https://a.b",)
