"""What `studybot cohort show` says about the live session: the link, the next session, the changed weeks."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Cohort
from bot.sessions.rsvp import rsvps_by_week
from bot.sessions.schedule import LiveSession, live_sessions


def next_live(sessions: list[LiveSession], now: datetime) -> LiveSession | None:
    """The first session still to come that is not cancelled."""
    return next((live for live in sessions if not live.cancelled and live.starts_at > now), None)


async def session_lines(session: AsyncSession, cohort: Cohort, now: datetime) -> list[str]:
    zone = ZoneInfo(cohort.timezone)

    def local(instant: datetime) -> str:
        return f"{instant.astimezone(zone):%a %Y-%m-%d %H:%M} {cohort.timezone}"

    sessions = await live_sessions(session, cohort)
    lines = [f"live session link: {cohort.session_link or 'none (studybot cohort set --session-link URL)'}"]
    upcoming = next_live(sessions, now)
    if upcoming is not None:
        lines.append(f"next live session: week {upcoming.week}, {local(upcoming.starts_at)}"
                     f" · join {upcoming.link or '(no link)'}")
    for live in sessions:
        if live.cancelled:
            lines.append(f"  week {live.week}: cancelled")
        elif live.moved or (live.link and live.link != cohort.session_link):
            lines.append(f"  week {live.week}: {local(live.starts_at)}, link {live.link or '-'}")
    counts = await rsvps_by_week(session, cohort.team_id, cohort.id)
    if counts:
        lines.append("RSVPs: " + ", ".join(f"week {week}: {count}" for week, count in sorted(counts.items())))
    return lines
