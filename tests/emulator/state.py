"""What the emulated workspace holds: users, channels, messages, reactions, views."""
from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

TEAM_ID = "T0STUDY01"
BOT_USER_ID = "UBOT00001"
BOT_ID = "BBOT00001"


@dataclass
class User:
    id: str
    name: str
    tz: str | None = "Europe/London"
    tz_offset: int = 0
    is_admin: bool = False
    is_owner: bool = False
    is_bot: bool = False
    deleted: bool = False
    team_id: str = TEAM_ID  # the workspace the user belongs to (ids may repeat in another one)

    def as_slack(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id, "team_id": self.team_id, "name": self.name, "real_name": self.name.title(),
            "deleted": self.deleted, "is_admin": self.is_admin, "is_owner": self.is_owner,
            "is_primary_owner": False, "is_bot": self.is_bot,
            "profile": {"display_name": self.name, "real_name": self.name.title(),
                        "image_72": f"https://avatars.example/{self.id}.png"},
        }
        if self.tz is not None:
            data.update(tz=self.tz, tz_label=self.tz, tz_offset=self.tz_offset)
        return data


@dataclass
class Message:
    ts: str
    channel: str
    text: str
    user: str | None = None
    bot_id: str | None = None
    blocks: list[dict[str, Any]] | None = None
    thread_ts: str | None = None
    metadata: dict[str, Any] | None = None
    reactions: dict[str, list[str]] = field(default_factory=dict)
    replies: list[str] = field(default_factory=list)
    deleted: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def as_slack(self, with_metadata: bool = False) -> dict[str, Any]:
        data: dict[str, Any] = {"type": "message", "ts": self.ts, "text": self.text, **self.extra}
        if self.user:
            data["user"] = self.user
        if self.bot_id:
            data["bot_id"] = self.bot_id
        if self.blocks:
            data["blocks"] = self.blocks
        if self.thread_ts:
            data["thread_ts"] = self.thread_ts
        if self.replies:
            data.update(reply_count=len(self.replies), reply_users=sorted(set(self.reply_users)),
                        latest_reply=self.replies[-1])
        if self.reactions:
            data["reactions"] = [
                {"name": name, "users": list(users), "count": len(users)}
                for name, users in self.reactions.items() if users
            ]
        if with_metadata and self.metadata:
            data["metadata"] = self.metadata
        return data

    reply_users: list[str] = field(default_factory=list)


@dataclass
class Channel:
    id: str
    name: str
    is_private: bool = False
    is_archived: bool = False
    members: set[str] = field(default_factory=set)
    is_mpim: bool = False  # a group DM (`conversations.open` with several users)
    messages: dict[str, Message] = field(default_factory=dict)
    topic: str = ""
    purpose: str = ""
    creator: str = "U0CREATOR1"

    def as_slack(self) -> dict[str, Any]:
        return {
            "id": self.id, "name": self.name, "is_channel": not self.is_private, "is_group": False,
            "creator": self.creator,
            "is_private": self.is_private, "is_mpim": self.is_mpim,
            "is_archived": self.is_archived, "is_member": BOT_USER_ID in self.members,
            "num_members": len(self.members), "topic": {"value": self.topic}, "purpose": {"value": self.purpose},
        }


class Workspace:
    """All of one emulated team's data, plus id and timestamp generators.

    The Web API answers every call from the workspace of the token it was made with
    (`SlackEmulator.workspace`): its users (with its `team_id`), channels, name and domain."""

    def __init__(self, team_id: str = TEAM_ID) -> None:
        self.team_id = team_id
        self.name = "Study" if team_id == TEAM_ID else f"Team {team_id}"
        self.domain = "studybot-test" if team_id == TEAM_ID else f"studybot-{team_id.lower()}"
        self.users: dict[str, User] = {BOT_USER_ID: User(BOT_USER_ID, "studybot", is_bot=True, team_id=team_id)}
        self.channels: dict[str, Channel] = {}
        self.home_views: dict[str, dict[str, Any]] = {}
        self.open_views: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(1)
        self._last_micros = 0
        # Message timestamps follow the test's clock (set by the fixture), like Slack's follow real time.
        self.now: Callable[[], float] = lambda: 1_780_000_000.0

    def next_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):08d}"

    def next_ts(self) -> str:
        """Unique, increasing, and at the current (test) time — as Slack's `ts` is."""
        micros = max(int(self.now() * 1_000_000), self._last_micros + 1)
        self._last_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def add_user(self, user_id: str, name: str | None = None, **fields: Any) -> User:
        user = User(user_id, name or user_id.lower(), **{"team_id": self.team_id, **fields})
        self.users[user_id] = user
        return user

    def add_channel(self, channel_id: str, name: str, *, members: set[str] | None = None,
                    is_private: bool = False) -> Channel:
        channel = Channel(channel_id, name, is_private=is_private, members=set(members or ()) | {BOT_USER_ID})
        self.channels[channel_id] = channel
        return channel

    def post(self, channel_id: str, text: str, *, user: str | None = None, thread_ts: str | None = None,
             **extra: Any) -> Message:
        """A message as a person (or the bot) would have written it."""
        channel = self.channels[channel_id]
        message = Message(self.next_ts(), channel_id, text, user=user, thread_ts=thread_ts, extra=extra)
        channel.messages[message.ts] = message
        if thread_ts and thread_ts in channel.messages and thread_ts != message.ts:
            parent = channel.messages[thread_ts]
            parent.replies.append(message.ts)
            if user:
                parent.reply_users.append(user)
        return message

    def message(self, channel_id: str, ts: str) -> Message | None:
        channel = self.channels.get(channel_id)
        return channel.messages.get(ts) if channel else None
