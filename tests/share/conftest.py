"""A cohort with a share channel, and a `Channel` helper that changes the emulated workspace the way
members do while producing the Slack events that report it (to deliver in any order, or not at all)."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from tests.emulator.state import Message

SHARE = "C0SHARE001"
MAIN = "C0FASTBOOK"
MEMBERS = ["UA", "UB", "UC", "UD", "UE", "UOLD"]
# Europe/London, week 1 opens Tue 3 Mar 2026 18:00 (UTC+0); digests are due Mondays 18:00 UTC.
WEEK1_DIGEST = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)
WEEK2_DIGEST = datetime(2026, 3, 16, 18, 0, tzinfo=UTC)
WEEK3_OPENS = datetime(2026, 3, 17, 18, 0, tzinfo=UTC)


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=UTC)


@dataclass
class Channel:
    """Members acting in the share channel: each action updates the emulator and returns its event."""

    emulator: Any
    clock: Any
    id: str = SHARE
    events: list[dict[str, Any]] = field(default_factory=list)

    def _at(self, when: datetime | None) -> str:
        if when is not None:
            self.clock.set(when)
        return self.emulator.workspace.next_ts()

    def _record(self, event: dict[str, Any]) -> dict[str, Any]:
        self.events.append(event)
        return event

    def post(self, user: str, text: str, when: datetime | None = None, **extra: Any) -> Message:
        if when is not None:
            self.clock.set(when)
        message = self.emulator.workspace.post(self.id, text, user=user, **extra)
        self._record({"type": "message", "channel": self.id, "channel_type": "channel", "user": user, "text": text,
                      "ts": message.ts, "event_ts": message.ts, **extra})
        return message

    def reply(self, parent: Message | str, user: str, text: str = "nice!", when: datetime | None = None) -> Message:
        parent_ts = parent if isinstance(parent, str) else parent.ts
        if when is not None:
            self.clock.set(when)
        message = self.emulator.workspace.post(self.id, text, user=user, thread_ts=parent_ts)
        self._record({"type": "message", "channel": self.id, "channel_type": "channel", "user": user, "text": text,
                      "ts": message.ts, "thread_ts": parent_ts, "event_ts": message.ts})
        return message

    def react(self, message: Message, user: str, emoji: str, when: datetime | None = None) -> dict[str, Any]:
        event_ts = self._at(when)
        message.reactions.setdefault(emoji, []).append(user)
        return self._record(self._reaction("reaction_added", message, user, emoji, event_ts))

    def unreact(self, message: Message, user: str, emoji: str, when: datetime | None = None) -> dict[str, Any]:
        event_ts = self._at(when)
        message.reactions[emoji].remove(user)
        return self._record(self._reaction("reaction_removed", message, user, emoji, event_ts))

    def edit(self, message: Message, text: str, when: datetime | None = None) -> dict[str, Any]:
        previous = message.as_slack()
        event_ts = self._at(when)
        message.text = text
        message.extra["edited"] = {"user": message.user, "ts": event_ts}
        return self._record({"type": "message", "subtype": "message_changed", "channel": self.id, "hidden": True,
                             "message": message.as_slack(), "previous_message": previous, "ts": event_ts,
                             "event_ts": event_ts})

    def delete(self, message: Message, when: datetime | None = None) -> dict[str, Any]:
        """Delete a post or a reply; like Slack, a deleted reply leaves its thread's counts."""
        previous = message.as_slack()
        event_ts = self._at(when)
        message.deleted = True
        if message.thread_ts and message.thread_ts != message.ts:
            parent = self.emulator.workspace.message(self.id, message.thread_ts)
            parent.replies.remove(message.ts)
            parent.reply_users.remove(message.user)
        return self._record({"type": "message", "subtype": "message_deleted", "channel": self.id, "hidden": True,
                             "deleted_ts": message.ts, "previous_message": previous, "ts": event_ts,
                             "event_ts": event_ts})

    def _reaction(self, kind: str, message: Message, user: str, emoji: str, event_ts: str) -> dict[str, Any]:
        return {"type": kind, "user": user, "reaction": emoji, "item_user": message.user,
                "item": {"type": "message", "channel": self.id, "ts": message.ts}, "event_ts": event_ts}


@pytest.fixture
async def cohort(bot, emulator):
    emulator.workspace.add_channel(MAIN, "fastbook-2026", members={"U1", *MEMBERS})
    emulator.workspace.add_channel(SHARE, "share-your-work", members={"U1", *MEMBERS})
    for user in MEMBERS:
        emulator.workspace.add_user(user, user.lower())
    return await bot.create_cohort(channel_id=MAIN, share_channel_id=SHARE)


@pytest.fixture
def channel(emulator, clock, cohort) -> Channel:
    return Channel(emulator, clock)


def event_id(event: dict[str, Any]) -> str:
    """A stable id per event, so delivering the same event again is a redelivery."""
    return "Ev" + hashlib.sha1(json.dumps(event, sort_keys=True).encode()).hexdigest()[:12].upper()


async def deliver(bot, events: list[dict[str, Any]]) -> None:
    """Send events one after another, each fully handled before the next (so the order is the test's)."""
    for event in events:
        reply = await bot.event(event, event_id=event_id(event))
        assert reply.status == 200
        await bot.settle()


def digest_posts(emulator, prefix: str = "share-digest:") -> list[dict[str, Any]]:
    """The digest messages the bot posted (other features' posts in the cohort channel left out), in order."""
    return [call.args for call in emulator.posted()
            if ((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", "").startswith(prefix)]
