"""A message seen in a channel, as the core needs it — from Slack's events (handlers/) or history reads."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

_SLACK_TS = re.compile(r"(\d+)(?:\.(\d{1,6}))?")
_LINK = re.compile(r"<(https?://[^|>]+)(?:\|[^>]*)?>")


@dataclass(frozen=True)
class ChannelMessage:
    """One change to a message: `posted`, `edited` or `deleted`.

    For `deleted`, `text` is empty and `ts` is the deleted message's ts. `is_bot`
    covers our own posts and other bots'. `is_broadcast` marks the channel copy
    of a thread reply ("also send to channel"), which must not count twice.
    """

    kind: str
    team_id: str
    channel_id: str
    ts: str
    user_id: str | None
    text: str = ""
    thread_ts: str | None = None
    is_bot: bool = False
    is_broadcast: bool = False
    files: tuple[str, ...] = ()
    links: tuple[str, ...] = ()
    reply_count: int = 0
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_reply(self) -> bool:
        return self.thread_ts is not None and self.thread_ts != self.ts

    @property
    def posted_at(self) -> datetime:
        return ts_to_datetime(self.ts)


def from_payload(kind: str, team_id: str, channel_id: str, payload: dict[str, Any]) -> ChannelMessage:
    """A message as Slack sends it (an event's `message`, or one read from history) as a `ChannelMessage`.

    The live listener and the catch-ups read messages the same way, so a message
    recorded from history is recorded exactly as its event would have been.
    """
    text = storable(payload.get("text") or "")
    return ChannelMessage(
        kind=kind,
        team_id=team_id,
        channel_id=channel_id,
        ts=payload.get("ts", ""),
        user_id=payload.get("user"),
        text=text,
        thread_ts=payload.get("thread_ts"),
        is_bot=is_bot_payload(payload),
        is_broadcast=payload.get("subtype") == "thread_broadcast",
        files=tuple(f.get("id", "") for f in payload.get("files") or []),
        links=tuple(_LINK.findall(text)),
        reply_count=int(payload.get("reply_count") or 0),
        # `edited.ts` orders edits that arrive out of order.
        extra={"edited_ts": (payload.get("edited") or {}).get("ts")} if payload.get("edited") else {},
    )


def storable(text: str) -> str:
    """The text as every database can store it, nothing else changed: NUL removed (PostgreSQL refuses it), a lone
    surrogate (JSON may carry one; UTF-8 can't encode it) replaced by U+FFFD."""
    text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return text


def is_bot_payload(payload: dict[str, Any]) -> bool:
    return bool(payload.get("bot_id")) or payload.get("subtype") == "bot_message"


@dataclass(frozen=True)
class ReactionChange:
    """A reaction added to or removed from a message (`added` True/False).

    `event_ts` is when Slack saw the change: it orders an add and a remove that arrive out of order.
    """

    team_id: str
    channel_id: str
    message_ts: str
    user_id: str
    reaction: str
    added: bool
    event_ts: str | None = None


def ts_key(ts: str) -> tuple[int, int]:
    """A sortable (seconds, microseconds) key for a Slack ts;
    string order is wrong when the seconds differ in length."""
    match = _SLACK_TS.fullmatch(ts.strip())
    if match is None:
        raise ValueError(f"not a Slack timestamp: {ts!r}")
    seconds, fraction = match.groups()
    return int(seconds), int((fraction or "").ljust(6, "0"))


def ts_to_datetime(ts: str) -> datetime:
    """Slack's `ts` ("1700000000.123456") as an aware UTC datetime, exact to the microsecond.

    Parsed as integers rather than `float(ts)` so microseconds never round.
    """
    seconds, micros = ts_key(ts)
    return datetime.fromtimestamp(seconds, UTC) + timedelta(microseconds=micros)
