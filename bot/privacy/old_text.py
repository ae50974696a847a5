"""The retention setting: clear what members wrote in cohorts that finished long ago.

With `STUDYBOT_PURGE_TEXT_AFTER_MONTHS=N` (unset by default: nothing is cleared), a daily job clears the
text of answers (thread and private), share posts (text, title, links, file names) and AMA questions of
every cohort whose last week closed more than N calendar months ago. Only the text goes, exactly as when
the member deletes the message in Slack: the rows stay, so progress, counts, votes and reports stay.
Clearing is idempotent (a second run finds nothing to clear), and text that comes back later (a member
edits an old message) is cleared by the next day's run.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select

from bot.ama.asking import clear_questions_text
from bot.blocks import counted
from bot.calendar.weeks import week_closes_at
from bot.cohorts.store import rhythm_of
from bot.database import Database
from bot.models import Cohort
from bot.questionnaire.thread_answers import clear_answers_text
from bot.share.store import clear_posts_text

CLEARERS = (("answer", clear_answers_text), ("share post", clear_posts_text), ("AMA question", clear_questions_text))


@dataclass
class Cleared:
    cohorts: int = 0  # cohorts past the retention period
    rows: dict[str, int] = field(default_factory=dict)  # what was cleared -> rows changed

    def line(self) -> str:
        changed = ", ".join(counted(count, what) for what, count in self.rows.items()) or "nothing"
        return (f"cleared the text of {changed} in {counted(self.cohorts, 'cohort')}"
                " finished before the retention period")


def months_before(instant: datetime, months: int) -> datetime:
    """The same wall-clock moment `months` calendar months earlier (31 March - 1 month = 28/29 February)."""
    index = instant.year * 12 + instant.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    last_day = 31 if month == 12 else (datetime(year, month + 1, 1) - datetime(year, month, 1)).days
    return instant.replace(year=year, month=month, day=min(instant.day, last_day))


def finished_at(cohort: Cohort) -> datetime:
    """When the cohort's last week closed (UTC)."""
    return week_closes_at(rhythm_of(cohort), cohort.weeks)


async def clear_old_text(db: Database, now: datetime, months: int) -> Cleared:
    """Clear the text of every cohort, in every workspace, that finished more than `months` months before `now`."""
    cutoff = months_before(now, months)
    cleared = Cleared(rows={what: 0 for what, _clear in CLEARERS})
    async with db.session() as session:
        cohorts = [c for c in await session.scalars(select(Cohort).order_by(Cohort.id)) if finished_at(c) < cutoff]
        for cohort in cohorts:
            for what, clear in CLEARERS:
                cleared.rows[what] += await clear(session, cohort)
    cleared.cohorts = len(cohorts)
    return cleared
