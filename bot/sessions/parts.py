"""The live session's parts of the rhythm's messages, composed by the jobs posting them: the announcement
gets [I'll be there] with its count and [Join] [Add to Google Calendar]; the 24-hour reminder [I'll be there]
with its count; the 1-hour reminder [Join]."""
from __future__ import annotations

from typing import Any

from bot.database import Database
from bot.models import Chapter, Cohort
from bot.outbound import Posted
from bot.sessions.links import google_calendar_link
from bot.sessions.rsvp import attending, remember_message
from bot.sessions.schedule import LiveSession
from bot.sessions.views import calendar_details, calendar_title, session_blocks, with_blocks

WITH_RSVP = ("announcement", "24h")


def calendar_url(cohort: Cohort, live: LiveSession, chapter: Chapter | None) -> str:
    """The "Add to Google Calendar" link of one session: the chapter in the title, the join and notebook
    links in the details."""
    label = f"Chapter {chapter.number} — {chapter.title}" if chapter else f"Week {live.week}"
    links = [(item["label"], item["url"]) for item in (chapter.links or [])] if chapter else []
    return google_calendar_link(calendar_title(cohort.name, live.week, label), live.starts_at,
                                details=calendar_details(live.link, links))


async def with_session_parts(db: Database, payload: dict[str, Any], *, cohort: Cohort, live: LiveSession | None,
                             chapter: Chapter | None, kind: str) -> tuple[dict[str, Any], int | None]:
    """`payload` (the announcement, or the "24h"/"1h" reminder) with the session's buttons for `kind`, and
    the RSVP count it shows (None: no count)."""
    if live is None or live.cancelled:
        return payload, None
    count = None
    if kind in WITH_RSVP:
        async with db.session() as session:
            count = await attending(session, cohort.team_id, cohort.id, live.week)
    join = live.link if kind in ("announcement", "1h") else None
    calendar = calendar_url(cohort, live, chapter) if kind == "announcement" else None
    return with_blocks(payload, session_blocks(cohort_id=cohort.id, week=live.week, join_url=join,
                                               calendar_url=calendar, rsvp_count=count)), count


async def after_posting(db: Database, posted: Posted, payload: dict[str, Any], *, cohort: Cohort, week: int,
                        shown: int | None) -> None:
    """Remember a posted message carrying the RSVP count (`shown`), so clicks update it in place."""
    if shown is not None:
        await remember_message(db, team_id=cohort.team_id, cohort_id=cohort.id, week=week, posted=posted,
                               payload=payload, shown=shown)
