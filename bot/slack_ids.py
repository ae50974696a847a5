"""Slack ids that organizers type or paste: channels and members, in the CLI and in Slack.

Every parser returns clean ids or raises `StudyError` whose message says what
was expected and where to find it in Slack.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import StudyError

CHANNEL_ID_EXPECTED = (
    "Expected a channel ID like C0123ABCDEF (in Slack, open the channel's details;"
    " the ID is at the bottom of the About tab)."
)
USER_IDS_EXPECTED = (
    "Expected user IDs like U0123ABCDEF or @-mentions, separated by commas"
    " (in Slack: a member's profile → ⋮ → Copy member ID)."
)
USERS_EXPECTED = (
    "Expected user IDs like U0123ABCDEF or @names (a member's Slack handle or display name), separated by commas"
    " (in Slack: a member's profile → ⋮ → Copy member ID)."
)
USERS_PAGE = 200
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
    return _user_tokens(text, lambda token: _USER_ID.fullmatch(token) is not None, "a user ID", USER_IDS_EXPECTED)


def parse_user_refs(text: str) -> list[str]:
    """Like `parse_user_ids`, but "@name" is kept as a name for `resolve_users` to look up."""
    return _user_tokens(text, lambda token: _USER_ID.fullmatch(token) is not None or len(token) > 1 and
                        token.startswith("@"), "a user ID or an @name", USERS_EXPECTED)


def _user_tokens(text: str, accepted: Callable[[str], bool], kind: str, expected: str) -> list[str]:
    unwrapped = _USER_MENTION.sub(lambda m: f" {m.group(1)} ", text)
    tokens = [token for token in re.split(r"[\s,]+", unwrapped) if token]
    if not tokens:
        raise StudyError(expected)
    for token in tokens:
        if not accepted(token):
            raise StudyError(f'"{token}" is not {kind}. {expected}')
    return list(dict.fromkeys(tokens))


async def resolve_users(client: AsyncWebClient | None, refs: Sequence[str]) -> list[str]:
    """User ids for ids and "@name"s (handle, display name or full name; case ignored), in order.

    Names are looked up with `users.list` (one paged read, only when a name was given);
    a name nobody has, or several people share, is refused with what to give instead.
    """
    names = [ref for ref in refs if ref.startswith("@")]
    if not names:
        return list(refs)
    if client is None:
        raise StudyError(f"looking up {names[0]} needs SLACK_BOT_TOKEN; or give user IDs. {USERS_EXPECTED}")
    people = await _people_by_name(client)
    found: dict[str, str] = {}
    for name in names:
        matches = sorted(people.get(name[1:].casefold(), ()))
        if not matches:
            raise StudyError(f"nobody in this workspace is called {name}. {USERS_EXPECTED}")
        if len(matches) > 1:
            raise StudyError(f"{name} could be {' or '.join(matches)}; give the user ID instead.")
        found[name] = matches[0]
    return list(dict.fromkeys(found.get(ref, ref) for ref in refs))


async def _people_by_name(client: AsyncWebClient) -> dict[str, set[str]]:
    """Every active person's handle, display name and full name (case-folded) → their ids."""
    people: dict[str, set[str]] = {}
    cursor = None
    while True:
        page = await client.users_list(limit=USERS_PAGE, cursor=cursor)  # a None cursor is left out
        user: dict[str, Any]
        for user in page.get("members", []):
            if user.get("deleted") or user.get("is_bot"):
                continue
            profile = user.get("profile") or {}
            for name in {user.get("name"), profile.get("display_name"), profile.get("real_name"),
                         user.get("real_name")}:
                if name:
                    people.setdefault(name.casefold(), set()).add(user["id"])
        cursor = (page.get("response_metadata") or {}).get("next_cursor")
        if not cursor:
            return people
