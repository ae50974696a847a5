"""Slack ids that organizers type or paste: channels and members, in the CLI and in Slack.

Every parser returns clean ids or raises `StudyError` whose message says what
was expected and where to find it in Slack.
"""
from __future__ import annotations

import re

from bot.errors import StudyError

CHANNEL_ID_EXPECTED = (
    "Expected a channel ID like C0123ABCDEF (in Slack, open the channel's details;"
    " the ID is at the bottom of the About tab)."
)
USER_IDS_EXPECTED = (
    "Expected user IDs like U0123ABCDEF or @-mentions, separated by commas"
    " (in Slack: a member's profile → ⋮ → Copy member ID)."
)
# Slack has lengthened IDs over the years (9 → 11 characters), so allow some headroom.
_ID_BODY = r"[A-Z0-9]{8,14}"
_CHANNEL_ID = re.compile(rf"[CG]{_ID_BODY}")
_USER_ID = re.compile(rf"[UW]{_ID_BODY}")


_CHANNEL_MENTION = re.compile(r"<#([^|>]+)(?:\|[^>]*)?>")
_CHANNEL_LINK = re.compile(r"https?://[^/\s]+/archives/([^/?#\s]+)(?:[/?#]\S*)?")


def parse_channel_id(text: str) -> str:
    """Accept a bare channel ID, a ``<#C…|name>`` mention, or a copied channel link.

    Channel *names* are refused on purpose: names can be renamed, IDs cannot.
    """
    stripped = text.strip()
    for pattern in (_CHANNEL_MENTION, _CHANNEL_LINK):
        if (match := pattern.fullmatch(stripped)) is not None:
            stripped = match.group(1)
            break
    if _CHANNEL_ID.fullmatch(stripped) is None:
        raise StudyError(CHANNEL_ID_EXPECTED)
    return stripped


_USER_MENTION = re.compile(r"<@([^|>]+)(?:\|[^>]*)?>")


def parse_user_ids(text: str) -> list[str]:
    """Parse "U1,U2", "U1 U2" or ``<@U1> <@U2|name>`` into distinct IDs, in the order given."""
    unwrapped = _USER_MENTION.sub(lambda m: f" {m.group(1)} ", text)
    tokens = [token for token in re.split(r"[\s,]+", unwrapped) if token]
    if not tokens:
        raise StudyError(USER_IDS_EXPECTED)
    for token in tokens:
        if _USER_ID.fullmatch(token) is None:
            raise StudyError(f'"{token}" is not a user ID. {USER_IDS_EXPECTED}')
    return list(dict.fromkeys(tokens))
