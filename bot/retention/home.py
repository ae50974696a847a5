"""The App Home's part of "keeping people in the group": the organizer's weekly numbers (and chart) at the
top, the member's reminder / nudges / pause state with buttons at the bottom.

`with_retention_blocks` takes the Home view another feature rendered and returns it with these blocks
added, so the Home needs one call to show them; it fails alone (the Home is published without them).
"""
from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select

from bot.cohorts.store import active_cohorts
from bot.cohorts.weeks import weeks_around
from bot.database import Database
from bot.models.retention import MemberPreferences, ReportSettings
from bot.retention import views
from bot.retention.planning import suggestion_label
from bot.retention.preferences import is_paused
from bot.retention.report import build_report

log = logging.getLogger(__name__)
MAX_VIEW_BLOCKS = 100


async def with_retention_blocks(view: dict[str, Any], db: Database, team_id: str, user_id: str,
                                now: datetime) -> dict[str, Any]:
    try:
        top, bottom = await _blocks(db, team_id, user_id, now)
    except Exception:  # this section failing must not take the Home down
        log.exception("home: could not gather the retention section of %s/%s", team_id, user_id)
        return view
    blocks = [*top, *view.get("blocks", []), *bottom]
    return view if len(blocks) > MAX_VIEW_BLOCKS else {**view, "blocks": blocks}


async def _blocks(db: Database, team_id: str, user_id: str, now: datetime) -> tuple[list[dict], list[dict]]:
    top: list[dict] = []
    bottom: list[dict] = []
    async with db.session() as session:
        for cohort in await active_cohorts(session, team_id):
            if user_id in (cohort.organizers or []):
                around = weeks_around(cohort, now)
                week = around.current or around.previous
                if week is not None:
                    report, _ = await build_report(session, cohort, week.number)
                    settings = await session.scalar(select(ReportSettings).where(
                        ReportSettings.cohort_id == cohort.id))
                    chart = settings.chart_file_id if settings else None
                    top += views.organizer_home_blocks(report.text(), chart)
            prefs = await session.scalar(select(MemberPreferences).where(
                MemberPreferences.cohort_id == cohort.id, MemberPreferences.user_id == user_id))
            if prefs is not None:  # only once they made a choice: the Home stays short for everyone else
                bottom += _member_blocks(cohort.id, prefs, now)
    return top, bottom


def _member_blocks(cohort_id: int, prefs: MemberPreferences, now: datetime) -> list[dict]:
    plan = prefs.plan
    label = None if not plan else ("you decide each week" if plan == views.EACH_WEEK else suggestion_label(plan))
    paused = is_paused(prefs, now)
    summary = views.preferences_summary(plan=label, nudges_on=prefs.nudges,
                                        paused_until=prefs.paused_until if paused else None)
    return views.home_blocks(cohort_id, summary, nudges_on=prefs.nudges, paused=paused)
