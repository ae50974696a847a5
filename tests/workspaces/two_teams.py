"""Two workspaces with the same user and channel ids, seen from the test: what each one's people do, and
everything each one received (Web API calls made with its token, response_url posts, files, CLI output).

Workspace A is the emulator's first (TEAM_ID), workspace B the one `add_team` adds. Their people and channels
share ids — ONE, TWO, ORG (an admin and the cohort's organizer), C0STUDY001, C0SHARE001 — but not names,
zones, or words: everything A's people write
carries A's mark, B's carries B's, so a leak shows as the other mark in what a workspace received.
"""
from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from click.testing import CliRunner
from sqlalchemy import update

from bot.models import Cohort, Question
from tests.emulator import SlackEmulator
from tests.emulator.state import Message, Workspace
from tests.harness import StudyBot, text_of

MAIN, SHARE = "C0STUDY001", "C0SHARE001"
ONE, TWO, ORG = "U0ONE00001", "U0TWO00002", "U0ORG00003"  # real-looking: the command line checks ids
MEMBERS = (ONE, TWO, ORG)
WEEK1 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)  # Europe/London cohorts: = UTC in March
FORMED = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)  # three days after week 1 opens
DIGEST = datetime(2026, 3, 9, 18, 0, tzinfo=UTC)  # week 1's digest, Monday 18:00
WEEK2 = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
REPORT = datetime(2026, 3, 11, 19, 0, tzinfo=UTC)  # 24 h before week 2's Thursday 19:00 session
NUDGES = datetime(2026, 3, 18, 18, 0, tzinfo=UTC)  # a day into week 3: members quiet for two weeks hear from us


@dataclass
class Team:
    """One workspace as its people use it; `mark` is in every word they write and every name they give."""

    bot: StudyBot
    emulator: SlackEmulator
    id: str
    mark: str
    shown: list[dict[str, Any]] = field(default_factory=list)  # what reached its response_urls
    printed: list[str] = field(default_factory=list)  # what `studybot` printed about it

    @property
    def slack(self) -> Workspace:
        return self.emulator.workspaces[self.id]

    def seat(self, zone: str, offset: int) -> None:
        """Its people, all in `zone`, in the main channel and the share channel."""
        for user in MEMBERS:
            self.slack.add_user(user, f"{self.mark}-{user[2:5].lower()}", tz=zone, tz_offset=offset,
                                is_admin=user == ORG)
        self.slack.channels[MAIN].members.update(MEMBERS)
        self.slack.add_channel(SHARE, f"{self.mark}-share", members=set(MEMBERS))

    async def cohort(self, questions: int = 2) -> Cohort:
        """The organizer sets up the cohort: main and share channels, a Thursday session, groups of 2 or more."""
        self.bot.team_id = self.id
        cohort = await self.bot.create_cohort(self.mark, share_channel_id=SHARE, session_time="Thu 19:00",
                                              organizers=[ORG])
        async with self.bot.db.session() as session:
            await session.execute(update(Cohort).where(Cohort.id == cohort.id).values(
                prompts_per_day=None, group_min=2, group_max=4))
            for position in range(1, questions + 1):
                session.add(Question(team_id=self.id, cohort_id=cohort.id, chapter=1, position=position,
                                     text=f"{self.mark} question {position}: what is a tensor?",
                                     imported_at=self.bot.clock.now()))
        return cohort

    # ---- what its people do ---------------------------------------------------------------------------------
    async def slash(self, text: str, user: str = ONE, channel: str = MAIN) -> str:
        """A /study command; returns all it showed (the ack and what came through the response_url)."""
        self.bot.team_id = self.id
        before = len(self.emulator.responses)
        await self.bot.slash(text, user=user, channel=channel)
        await self.bot.settle()
        await self.emulator.wait_for(lambda e: len(e.responses) > before)
        new = self.emulator.responses[before:]
        self.shown += new
        return "\n".join(text_of(r) for r in new)

    async def say(self, user: str, text: str, channel: str = MAIN, thread_ts: str | None = None) -> Message:
        """A member writes in a channel of this workspace, and Slack tells the bot."""
        message = self.slack.post(channel, text, user=user, thread_ts=thread_ts)
        event = {"type": "message", "channel": channel, "user": user, "text": text, "ts": message.ts,
                 "event_ts": message.ts, "channel_type": "channel", **({"thread_ts": thread_ts} if thread_ts else {})}
        await self.event(event)
        return message

    async def react(self, user: str, message: Message, emoji: str = "tada") -> None:
        message.reactions.setdefault(emoji, []).append(user)
        await self.event({"type": "reaction_added", "user": user, "reaction": emoji, "item_user": message.user,
                          "item": {"type": "message", "channel": message.channel, "ts": message.ts},
                          "event_ts": self.slack.next_ts()})

    async def open_home(self, user: str = ONE) -> dict[str, Any]:
        await self.event({"type": "app_home_opened", "user": user, "channel": "D0HOME0001", "tab": "home"})
        return self.slack.home_views[user]

    async def click(self, user: str, message: Message, action_id: str) -> str:
        """A member clicks the button `action_id` of a message the bot sent them; returns what it answered."""
        button = next(e for block in message.blocks or [] if block["type"] == "actions"
                      for e in block["elements"] if e.get("action_id") == action_id)
        self.bot.team_id = self.id
        before = len(self.emulator.responses)
        await self.bot.click(action_id, button.get("value", ""), user=user, channel=message.channel,
                             message_ts=message.ts)
        await self.bot.settle()
        self.shown += self.emulator.responses[before:]
        return "\n".join(text_of(r) for r in self.emulator.responses[before:])

    def dms(self, user: str) -> list[Message]:
        channel = self.slack.channels.get("D" + user[1:])
        return list(channel.messages.values()) if channel else []

    async def event(self, event: dict[str, Any]) -> None:
        self.bot.team_id = self.id
        assert (await self.bot.event(event)).status == 200
        await self.bot.settle()

    async def studybot(self, *args: str) -> str:
        """An organizer of this workspace runs the `studybot` command line (same database)."""
        from bot.main.cli import cli

        env = {"DATABASE_URL": self.bot.runtime.settings.database_url, "SLACK_BOT_TOKEN": "xoxb-cli",
               "SLACK_APP_TOKEN": ""}
        result = await asyncio.to_thread(CliRunner().invoke, cli, list(args), env=env)
        assert result.exit_code == 0, result.output
        self.printed.append(result.output)
        return result.output

    # ---- what it received -----------------------------------------------------------------------------------
    def received(self) -> list[str]:
        """Every Web API call made with its token, its emulated Slack as it ends up (messages, Home tabs, modals,
        files), its response_url posts and the command line's output about it — as text."""
        found = [json.dumps(c.args, sort_keys=True) for c in self.emulator.calls_by(self.id)]
        for channel in self.slack.channels.values():
            found += [json.dumps(m.as_slack(with_metadata=True)) for m in channel.messages.values()]
        found += [json.dumps(v) for v in (*self.slack.home_views.values(), *self.slack.open_views.values())]
        found += [u["data"].decode("utf-8", "replace") for u in self.emulator.uploads.values()
                  if u["team_id"] == self.id]
        return found + [json.dumps(r) for r in self.shown] + self.printed

    def files(self, filename: str) -> list[Any]:
        return [json.loads(u["data"]) for u in self.emulator.uploads.values()
                if u["team_id"] == self.id and u["filename"] == filename]
