"""Slack ids organizers type or paste: clean ids, or errors that say what was expected."""
from __future__ import annotations

import pytest

from bot.errors import StudyError
from bot.slack_ids import parse_channel_id, parse_user_ids

# --- Slack ids ---------------------------------------------------------------------------------

CHANNEL_ERROR = "Expected a channel ID like C0123ABCDEF"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("C0123ABCDEF", "C0123ABCDEF"),
        (" G01234567 ", "G01234567"),
        ("<#C0123ABCDEF|fastbook-study>", "C0123ABCDEF"),
        ("<#C0123ABCDEF>", "C0123ABCDEF"),
        ("https://fastai.slack.com/archives/C0123ABCDEF", "C0123ABCDEF"),
        ("https://fastai.slack.com/archives/C0123ABCDEF/p1700000000000000", "C0123ABCDEF"),
    ],
)
def test_channel_id_forms(text: str, expected: str) -> None:
    assert parse_channel_id(text) == expected


@pytest.mark.parametrize(
    "text",
    ["#general", "general", "c0123abcdef", "U0123ABCDEF", "D0123ABCDEF", "C0123", "C0123ABCDEF!", "<#U0123ABCDEF>", ""],
)
def test_channel_id_rejects_names_and_other_ids(text: str) -> None:
    with pytest.raises(StudyError) as error:
        parse_channel_id(text)
    message = str(error.value)
    assert message.startswith(CHANNEL_ERROR)
    assert "About" in message  # tells them where to find it


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U0123ABCDEF", ["U0123ABCDEF"]),
        ("U0123ABCDEF,W0123ABCDEF", ["U0123ABCDEF", "W0123ABCDEF"]),
        ("U0123ABCDEF, U0456ABCDEF  U0789ABCDEF", ["U0123ABCDEF", "U0456ABCDEF", "U0789ABCDEF"]),
        ("<@U0123ABCDEF> <@U0456ABCDEF|jeremy howard>", ["U0123ABCDEF", "U0456ABCDEF"]),
        ("<@U0123ABCDEF>,<@U0123ABCDEF>, U0123ABCDEF", ["U0123ABCDEF"]),
    ],
)
def test_user_id_forms(text: str, expected: list[str]) -> None:
    assert parse_user_ids(text) == expected


def test_user_ids_name_the_bad_token() -> None:
    with pytest.raises(StudyError) as error:
        parse_user_ids("U0123ABCDEF, @jeremy")
    assert str(error.value).startswith('"@jeremy" is not a user ID. Expected user IDs like U0123ABCDEF')


@pytest.mark.parametrize("text", ["", " , ", "C0123ABCDEF", "u0123abcdef", "<#C0123ABCDEF>", "<@U01>"])
def test_user_ids_reject_the_rest(text: str) -> None:
    with pytest.raises(StudyError, match="Expected user IDs like U0123ABCDEF"):
        parse_user_ids(text)
