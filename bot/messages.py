"""A message seen in a channel, as the core needs it — parsed from Slack's events by handlers/."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone


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


def ts_to_datetime(ts: str) -> datetime:
    """Slack's `ts` ("1700000000.123456") as an aware UTC datetime, exactly."""
    seconds, _, micros = ts.partition(".")
    return datetime.fromtimestamp(int(seconds), tz=timezone.utc).replace(microsecond=int((micros or "0")[:6].ljust(6, "0")))
