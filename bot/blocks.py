"""Tiny, generic Block Kit helpers and Slack's size limits.

Every renderer in the bot builds its payloads from these so that the limits
live in one place. Helpers *refuse* (raise ``ValueError``) rather than silently
cut mrkdwn, because cutting mrkdwn can break a ``<url|text>`` link or a
``<@U123>`` mention; renderers are expected to pack text to fit beforehand.
Plain text (headers, button labels) has no tokens, so it is safely shortened.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_SECTION_TEXT = 3000
MAX_HEADER_TEXT = 150
MAX_CONTEXT_ELEMENTS = 10
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000
MAX_ACTION_ID = 255
MAX_BLOCK_ID = 255
MAX_URL = 3000
MAX_PRIVATE_METADATA = 3000
MAX_OPTION_TEXT = 75
MAX_SELECT_OPTIONS = 100

ELLIPSIS = "…"

Block = dict[str, Any]

# A Slack control token (<@U1>, <#C1|x>, <url|label>) or an HTML entity: the
# units that must never be split when text is cut.
_ATOM = re.compile(r"<[^<>]*>|&[a-zA-Z]+;")


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """"1 question", "2 questions", "1,200 people" (`plural` when adding "s" is wrong): every count shown."""
    return f"{n:,} {noun if n == 1 else plural or noun + 's'}"


def escape_mrkdwn(text: str) -> str:
    """Escape Slack's three control characters so user text renders literally."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def safe_url(url: str) -> str:
    """Make a URL safe inside ``<url|label>``: no ``|``, ``<``, ``>`` or spaces to end it early."""
    encoded = (
        url.strip()
        .replace(" ", "%20")
        .replace("|", "%7C")
        .replace("<", "%3C")
        .replace(">", "%3E")
    )
    return encoded.replace("&", "&amp;")


def link(url: str, label: str) -> str:
    """A mrkdwn link; ``label`` is plain text and gets escaped."""
    return f"<{safe_url(url)}|{escape_mrkdwn(label)}>"


def mention(user_id: str) -> str:
    """A user mention token."""
    return f"<@{user_id}>"


def shorten_plain(text: str, limit: int) -> str:
    """Shorten plain text to ``limit`` characters, preferring a word boundary."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


def plain_text(text: str, limit: int | None = None) -> Block:
    """A ``plain_text`` object, shortened to ``limit`` if given."""
    return {"type": "plain_text", "text": shorten_plain(text, limit) if limit else text, "emoji": True}


def mrkdwn(text: str) -> Block:
    """A ``mrkdwn`` text object."""
    return {"type": "mrkdwn", "text": text}


def header(text: str) -> Block:
    """A header block; plain text over 150 characters is shortened, not rejected."""
    return {"type": "header", "text": plain_text(text, MAX_HEADER_TEXT)}


def section(text: str, block_id: str | None = None) -> Block:
    """A mrkdwn section; raises if the text would break Slack's 3,000-character limit."""
    if not text:
        raise ValueError("section text must not be empty")
    if len(text) > MAX_SECTION_TEXT:
        raise ValueError(f"section text is {len(text)} characters; the limit is {MAX_SECTION_TEXT}")
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id is not None:
        block["block_id"] = _checked_id(block_id, MAX_BLOCK_ID)
    return block


def context(*texts: str) -> Block:
    """A context block of mrkdwn elements (at most 10)."""
    if not texts:
        raise ValueError("context needs at least one element")
    if len(texts) > MAX_CONTEXT_ELEMENTS:
        raise ValueError(f"context has {len(texts)} elements; the limit is {MAX_CONTEXT_ELEMENTS}")
    for text in texts:
        if not text or len(text) > MAX_SECTION_TEXT:
            raise ValueError("context element text must be 1–3000 characters")
    return {"type": "context", "elements": [mrkdwn(text) for text in texts]}


def divider() -> Block:
    """A divider block."""
    return {"type": "divider"}


def button(
    text: str,
    action_id: str,
    *,
    value: str | None = None,
    url: str | None = None,
    style: str | None = None,
) -> Block:
    """A button element; the label is shortened to 75 characters, ids and values are checked."""
    if style not in (None, "primary", "danger"):
        raise ValueError(f"button style must be 'primary' or 'danger', not {style!r}")
    element: Block = {
        "type": "button",
        "text": plain_text(text, MAX_BUTTON_TEXT),
        "action_id": _checked_id(action_id, MAX_ACTION_ID),
    }
    if value is not None:
        if len(value) > MAX_BUTTON_VALUE:
            raise ValueError(f"button value is {len(value)} characters; the limit is {MAX_BUTTON_VALUE}")
        element["value"] = value
    if url is not None:
        if len(url) > MAX_URL:
            raise ValueError(f"button url is {len(url)} characters; the limit is {MAX_URL}")
        element["url"] = url
    if style is not None:
        element["style"] = style
    return element


def message(text: str, blocks: Sequence[Block]) -> dict[str, Any]:
    """A message payload; ``text`` is the notification/accessibility fallback and must not be empty."""
    if not text.strip():
        raise ValueError("a message needs a non-empty fallback text")
    if len(blocks) > MAX_MESSAGE_BLOCKS:
        raise ValueError(f"message has {len(blocks)} blocks; the limit is {MAX_MESSAGE_BLOCKS}")
    return {"text": text, "blocks": list(blocks)}


def pack_lines(lines: Iterable[str], limit: int = MAX_SECTION_TEXT, separator: str = "\n") -> list[str]:
    """Greedily join whole lines into chunks of at most ``limit`` characters.

    A line is never split, so a link or mention inside it stays intact; a line
    that alone exceeds ``limit`` is a caller bug and raises.
    """
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        if len(line) > limit:
            raise ValueError(f"a line of {len(line)} characters cannot fit in {limit}")
        added = len(line) + (len(separator) if current else 0)
        if current and size + added > limit:
            chunks.append(separator.join(current))
            current, size = [], 0
            added = len(line)
        current.append(line)
        size += added
    if current:
        chunks.append(separator.join(current))
    return chunks


def split_mrkdwn(text: str, limit: int = MAX_SECTION_TEXT) -> list[str]:
    """Split long mrkdwn into chunks of at most ``limit`` characters.

    Prefers newlines, then spaces, and never splits a ``<…>`` token or an
    ``&amp;``-style entity (a token longer than ``limit`` is a caller bug).
    """
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = _safe_cut(rest, limit)
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return [chunk for chunk in chunks if chunk]


def _safe_cut(text: str, limit: int) -> int:
    """The best index ≤ ``limit`` to cut ``text`` at without splitting an atom."""
    spans = []
    for match in _ATOM.finditer(text):
        if match.start() >= limit:
            break
        spans.append(match.span())

    def splits_atom(index: int) -> bool:
        return any(start < index < end for start, end in spans)

    window = text[:limit]
    for boundary in ("\n", " "):
        index = window.rfind(boundary)
        while index > 0:
            if not splits_atom(index):
                return index + 1
            index = window.rfind(boundary, 0, index)
    cut = limit
    for start, end in spans:
        if start < cut < end:
            cut = start
    if cut == 0:
        raise ValueError(f"a token longer than {limit} characters cannot be split safely")
    return cut


def _checked_id(identifier: str, limit: int) -> str:
    if not identifier or len(identifier) > limit:
        raise ValueError(f"ids must be 1–{limit} characters, got {len(identifier)}")
    return identifier


# Whitespace, a Slack token, an entity, a run of other text, or a stray control character.
_MRKDWN_PIECE = re.compile(r"\s+|<[^<>]*>|&#?\w+;|[^\s<&]+|[<&]")


def shorten_mrkdwn(text: str, limit: int) -> str:
    """Shorten one line of mrkdwn to at most ``limit`` characters, ending in ``…``.

    Cuts on a word boundary and treats ``<url|label>``, ``<@U123>`` and
    ``&amp;`` as unbreakable. If the first word alone is too long it is cut
    between pieces; a link too long to keep is replaced by its label (or its
    address as plain text), so the result is always within ``limit``.
    """
    if limit <= len(ELLIPSIS):
        raise ValueError("limit must leave room for the ellipsis")
    if len(text) <= limit:
        return text
    budget = limit - len(ELLIPSIS)
    words = _words(text)
    kept = ""
    for word in words:
        candidate = f"{kept} {word}" if kept else word
        if len(candidate) > budget:
            break
        kept = candidate
    if kept:
        return kept.rstrip(" ,:-—") + ELLIPSIS
    return _shorten_word(words[0], budget) + ELLIPSIS


def _words(text: str) -> list[str]:
    words: list[str] = []
    current = ""
    for piece in _MRKDWN_PIECE.findall(text):
        if piece.isspace():
            if current:
                words.append(current)
            current = ""
        else:
            current += piece
    if current:
        words.append(current)
    return words


def _shorten_word(word: str, budget: int) -> str:
    kept = ""
    for piece in _MRKDWN_PIECE.findall(word):
        room = budget - len(kept)
        if len(piece) <= room:
            kept += piece
            continue
        if piece.startswith("<") and piece.endswith(">"):
            if not kept:
                kept = _shorten_word(_token_display(piece), budget)
        elif not piece.startswith("&"):
            kept += piece[:room]
        break
    return kept


def _token_display(token: str) -> str:
    """What Slack shows for a token, as plain mrkdwn text: the label, else the target sans scheme."""
    inner = token[1:-1]
    target, _, label = inner.partition("|")
    shown = label or re.sub(r"^[a-z]+://", "", target)
    return shown.replace("<", "").replace(">", "") or "link"


# --- re-posting what members wrote ------------------------------------------------------

# A zero-width space after the @: reads as "@here" and notifies nobody, even where
# Slack would turn a typed "@here" into a mention.
NO_PING = "@\u200b"
_USER_MENTION = re.compile(r"<@([A-Z0-9]+)(?:\|([^<>]*))?>")
_SPECIAL_MENTION = re.compile(r"<!(channel|here|everyone|subteam\^[^|<>]*)(?:\|([^<>]*))?>")
_TYPED_SPECIAL = re.compile(r"(?<![\w@.])@(channel|here|everyone)\b")


def defuse_mentions(text: str, names: Mapping[str, str] | None = None) -> str:
    """Member mrkdwn made safe for the bot to post again: it reads the same and notifies nobody.

    ``<!channel>``, ``<!here>``, ``<!everyone>`` and user-group mentions (typed or as
    tokens) become look-alikes that ping no one; ``<@U…>`` becomes the person's name from
    ``names`` (else the label Slack sent, else "a member"). Links, channels and dates stay.
    """
    def user(match: re.Match[str]) -> str:
        known = (names or {}).get(match.group(1))
        label = escape_mrkdwn(known) if known else match.group(2)  # a label is mrkdwn already
        return NO_PING + label.removeprefix("@") if label else "a member"

    def special(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2)
        if target.startswith("subteam^"):
            return NO_PING + ((label or "").removeprefix("@") or "group")
        return NO_PING + target

    text = _USER_MENTION.sub(user, text)
    text = _SPECIAL_MENTION.sub(special, text)
    return _TYPED_SPECIAL.sub(lambda match: NO_PING + match.group(1), text)


def quote_member_text(text: str) -> str:
    """Plain text a member typed (a form field), shown as mrkdwn: literal, and pinging no one."""
    return defuse_mentions(escape_mrkdwn(text))


def mentioned_user_ids(text: str) -> list[str]:
    """The users ``text`` mentions, first mention first, each once."""
    return list(dict.fromkeys(match.group(1) for match in _USER_MENTION.finditer(text)))


# --- date tokens ----------------------------------------------------------------------

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_FALLBACK_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_FALLBACK_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def slack_date(instant: datetime, fmt: str = "{date_short_pretty} at {time}", fallback: str | None = None) -> str:
    """Slack's ``<!date^UNIX^FORMAT|FALLBACK>`` token: each member's client shows it in their own zone.

    The fallback (shown where the token can't be rendered) defaults to the
    instant written in UTC, e.g. "Tue 3 Mar 2026 18:00 UTC", which is unambiguous
    for everyone. Seconds are dropped, as Slack wants a whole Unix timestamp.
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise ValueError(f"instant must be an aware datetime (UTC), got naive {instant.isoformat()}")
    utc = instant.astimezone(UTC)
    unix = (utc - _EPOCH) // timedelta(seconds=1)
    text = _utc_fallback(utc) if fallback is None else fallback
    return f"<!date^{unix}^{fmt}|{escape_mrkdwn(text)}>"


def _utc_fallback(utc: datetime) -> str:
    # Own month/day names rather than strftime("%a %b"), which follows the server's locale.
    weekday, month = _FALLBACK_WEEKDAYS[utc.weekday()], _FALLBACK_MONTHS[utc.month - 1]
    return f"{weekday} {utc.day} {month} {utc.year} {utc:%H:%M} UTC"
