"""The one shape of "how far along is it": long core functions take an optional `progress(done, total)`.

Core code only calls it; the edges decide what it shows (a bar or plain lines in `studybot`, a Slack
message updated in place for `/study admin`). Async so an edge can talk to Slack while it reports.
"""
from __future__ import annotations

from collections.abc import Awaitable, Callable

Progress = Callable[[int, int], Awaitable[None]]


async def advance(progress: Progress | None, done: int, total: int) -> None:
    """Tell `progress`, if there is one, that `done` of `total` steps are finished."""
    if progress is not None:
        await progress(done, total)
