"""The live session's part of the App Home: "Next live session: <time in the member's zone> [Join]
[Add to Google Calendar]" — moved and cancelled weeks as they stand."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.blocks import Block
from bot.cohorts.weeks import current_week_of
from bot.database import Database
from bot.models import Chapter, Cohort
from bot.sessions.parts import calendar_url
from bot.sessions.schedule import live_sessions
from bot.sessions.summary import next_live
from bot.sessions.views import home_blocks


async def home_part(db: Database, cohort: Cohort, now: datetime) -> list[Block]:
    """The cohort's next session that is not cancelled (none: no blocks)."""
    current = current_week_of(cohort, now)
    async with db.session() as session:
        upcoming = next_live(await live_sessions(session, cohort), now)
        if upcoming is None:
            return []
        chapter = await session.scalar(select(Chapter).where(Chapter.cohort_id == cohort.id,
                                                             Chapter.number == upcoming.week))
    return home_blocks(cohort_id=cohort.id, week=upcoming.week, starts_at=upcoming.starts_at, join_url=upcoming.link,
                       calendar_url=calendar_url(cohort, upcoming, chapter),
                       this_week=current is not None and current.number == upcoming.week)
