"""Daily: clear the text members wrote in cohorts finished longer ago than STUDYBOT_PURGE_TEXT_AFTER_MONTHS."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.privacy.old_text import clear_old_text
from bot.scheduling import JobContext, Occurrence, once_a_day


class ClearOldText:
    name = "privacy-clear-old-text"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return [once_a_day(now)]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        months = ctx.settings.purge_text_after_months if ctx.settings is not None else None
        if months is None:
            return "off: STUDYBOT_PURGE_TEXT_AFTER_MONTHS is not set, members' text is kept"
        cleared = await clear_old_text(ctx.db, ctx.now, months)
        return cleared.line()


JOBS = [ClearOldText()]
