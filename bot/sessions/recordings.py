"""Recordings of the weekly live sessions: stored per cohort week, posted once into that week's announcement
thread, shown on the Home, in the next week's announcement and by `/study recordings`.

A recording is for a session that has happened (`live_sessions`: its start is at or before now). Setting it
again replaces the URL: the thread's message is edited to the new link (never a second post), the Home and
the list show the new one, and members already told where their question was answered are not told again.
The announcement thread belongs to the rhythm (above this package), so callers pass `announcement_key`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import Block
from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort
from bot.models.recordings import SessionRecording
from bot.outbound import post_once, posted_ts
from bot.sessions.recording_views import home_blocks, last_weeks_block, render_recordings, render_thread_post
from bot.sessions.schedule import LiveSession, live_sessions
from bot.store import insert_ignore

AnnouncementKey = Callable[[int, int], str]  # (cohort id, week) → the `post_once` key of that week's announcement
MAX_URL = 1000
FROM_CLI = "cli"


def recording_key(cohort_id: int, week: int) -> str:
    return f"recording:cohort-{cohort_id}:week-{week}"


def checked_url(url: str) -> str:
    """An `https://` link with a host, no spaces; StudyError otherwise."""
    url = (url or "").strip().strip("<>")
    shown = url[:60] + ("…" if len(url) > 60 else "")
    if not url:
        raise StudyError("Give the recording's link (https://…). Nothing was changed.")
    parts = urlsplit(url) if len(url) <= MAX_URL else None
    if parts is None or parts.scheme.lower() != "https" or not parts.hostname or "." not in parts.hostname \
            or any(c.isspace() for c in url):
        raise StudyError(f"`{shown}` is not an https:// link to the recording. Nothing was changed.")
    return url


async def session_that_happened(session: AsyncSession, cohort: Cohort, week: int, now: datetime) -> LiveSession:
    """Week `week`'s session if it has started by `now`; StudyError otherwise (outside the cohort, no session
    that week, or still to come)."""
    if not 1 <= week <= cohort.weeks:
        raise StudyError(f"{cohort.name} has weeks 1 to {cohort.weeks}; there is no week {week}. Nothing was changed.")
    live = next((s for s in await live_sessions(session, cohort) if s.week == week and not s.cancelled), None)
    if live is None:
        raise StudyError(f"Week {week} of {cohort.name} has no live session to record. Nothing was changed.")
    if live.starts_at > now:
        raise StudyError(f"Week {week}'s session hasn't happened yet; add its recording after it. Nothing was changed.")
    return live


@dataclass(frozen=True)
class Saved:
    cohort: Cohort
    week: int
    url: str
    replaced: str | None  # the previous URL ("" when it was the same), None when it is the first


async def save_recording(db: Database, cohort: Cohort, week: int, url: str, *, added_by: str,
                         now: datetime) -> Saved:
    """Store week `week`'s recording (replacing an earlier URL); nothing changes when anything is refused."""
    url = checked_url(url)
    async with db.session() as session:
        await session_that_happened(session, cohort, week, now)
        values = {"url": url, "added_by": added_by[:32], "added_at": now}
        if await insert_ignore(session, SessionRecording, {"team_id": cohort.team_id, "cohort_id": cohort.id,
                                                           "week": week, **values}):
            return Saved(cohort, week, url, None)
        previous = await session.scalar(select(SessionRecording.url).where(*_the(cohort, week)))
        if previous == url:
            return Saved(cohort, week, url, "")
        await session.execute(update(SessionRecording).where(*_the(cohort, week)).values(**values))
        return Saved(cohort, week, url, previous or "")


def _the(cohort: Cohort, week: int) -> tuple[Any, ...]:
    return (SessionRecording.team_id == cohort.team_id, SessionRecording.cohort_id == cohort.id,
            SessionRecording.week == week)


async def recording_url(session: AsyncSession, cohort: Cohort, week: int) -> str | None:
    return await session.scalar(select(SessionRecording.url).where(*_the(cohort, week)))


async def show_in_thread(db: Database, client: AsyncWebClient, cohort: Cohort, week: int, now: datetime, *,
                         announcement_key: AnnouncementKey) -> bool:
    """Post week `week`'s recording once in its announcement's thread (in the channel when that week was never
    announced), or edit the posted one to a replaced URL. False when another process is at it."""
    async with db.session() as session:
        row = await session.scalar(select(SessionRecording).where(*_the(cohort, week)))
    if row is None or row.shown_url == row.url:
        return True
    thread = await posted_ts(db, cohort.team_id, announcement_key(cohort.id, week))
    payload = render_thread_post(week, row.url)
    posted = await post_once(db, client, team_id=cohort.team_id, key=recording_key(cohort.id, week),
                             channel=cohort.channel_id, thread_ts=thread, now=now, unfurl_links=False, **payload)
    if posted is None:
        return False
    if not posted.fresh:  # posted with an earlier URL: the same message now shows the new one
        await client.chat_update(channel=posted.channel_id, ts=posted.ts, **payload)
    async with db.session() as session:
        await session.execute(update(SessionRecording).where(
            SessionRecording.id == row.id, SessionRecording.url == row.url).values(shown_url=row.url))
    return True


async def unshown(session: AsyncSession) -> list[tuple[int, int]]:
    """(cohort id, week) of recordings their thread does not show yet (or shows with an older URL)."""
    rows = await session.execute(select(SessionRecording.cohort_id, SessionRecording.week).where(
        (SessionRecording.shown_url.is_(None)) | (SessionRecording.shown_url != SessionRecording.url)))
    return [(cohort_id, week) for cohort_id, week in rows]


async def recordings_of(session: AsyncSession, cohort: Cohort) -> dict[int, str]:
    rows = await session.execute(select(SessionRecording.week, SessionRecording.url).where(
        SessionRecording.team_id == cohort.team_id, SessionRecording.cohort_id == cohort.id))
    return dict(sorted((week, url) for week, url in rows))


async def list_recordings(session: AsyncSession, cohort: Cohort, command: str) -> dict[str, Any]:
    """`/study recordings`: the message listing the cohort's recordings."""
    urls = await recordings_of(session, cohort)
    starts = {s.week: s.starts_at for s in await live_sessions(session, cohort)}
    return render_recordings(cohort.name, [(week, url, starts.get(week)) for week, url in urls.items()], command)


async def home_part(session: AsyncSession, cohort: Cohort, now: datetime) -> list[Block]:
    """The App Home's "Missed it?" line: the latest recording of a session that has happened (none: nothing)."""
    urls = await recordings_of(session, cohort)
    happened = [s.week for s in await live_sessions(session, cohort) if s.starts_at <= now and s.week in urls]
    return home_blocks(happened[-1], urls[happened[-1]]) if happened else []


async def last_weeks_recording(session: AsyncSession, cohort: Cohort, week: int) -> Block | None:
    """For week `week`'s announcement: the line with week `week - 1`'s recording, if there is one."""
    url = await recording_url(session, cohort, week - 1) if week > 1 else None
    return last_weeks_block(week - 1, url) if url else None


def with_last_weeks_recording(message: dict[str, Any], line: Block | None) -> dict[str, Any]:
    """An announcement with the previous week's recording line added at its end."""
    if line is None:
        return message
    return {**message, "blocks": [*message.get("blocks", []), line]}


async def forget_adder(session: AsyncSession, team_id: str, user_id: str) -> None:
    """Forget-me: the recordings an organizer added stay (they are the cohort's); their id goes."""
    await session.execute(update(SessionRecording).where(
        SessionRecording.team_id == team_id, SessionRecording.added_by == user_id).values(added_by="forgotten"))


async def recordings_for_request(db: Database, *, team_id: str, channel_id: str | None, user_id: str,
                                 command: str) -> dict[str, Any]:
    """`/study recordings` for the cohort the request means."""
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command,
                                          subcommand="recordings")
        return await list_recordings(session, cohort, command)
