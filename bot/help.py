"""The help message and the "did you mean" answer for unknown subcommands."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol


class Described(Protocol):
    @property
    def name(self) -> str: ...
    @property
    def usage(self) -> str: ...
    @property
    def summary(self) -> str: ...
    @property
    def organizer(self) -> bool: ...


def _lines(command: str, entries: Sequence[Described]) -> str:
    return "\n".join(f"`{command} {entry.usage}` — {entry.summary}" for entry in entries)


def render_help(command: str, entries: Sequence[Described]) -> dict:
    members = [e for e in entries if not e.organizer]
    organizers = [e for e in entries if e.organizer]
    blocks: list[dict] = [
        {"type": "section", "text": {"type": "mrkdwn",
                                     "text": "*studybot* keeps the study group's weekly rhythm. "
                                             "Here is what you can ask:"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": _lines(command, members)}},
    ]
    if organizers:
        blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": "*For organizers*"}]})
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": _lines(command, organizers)}})
    fallback = "studybot commands: " + ", ".join(f"{command} {e.name}" for e in entries)
    return {"text": fallback, "blocks": blocks}


def render_unknown_command(command: str, typed: str, suggestion: str | None, entries: Sequence[Described]) -> dict:
    hint = f" Did you mean `{command} {suggestion}`?" if suggestion else ""
    opener = f"I don't know `{command} {typed[:40]}`.{hint}"
    help_message = render_help(command, entries)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": opener}}, *help_message["blocks"]]
    return {"text": opener, "blocks": blocks}
