"""The organizer's weekly picture: numbers, the per-member CSV, and posting it with its chart.

The same `WeeklyReport` feeds the scheduled post, `studybot report` and the organizer's Home, so the
three always agree. It is due `hours_before_session` (default 24) before the week's live session, or
a day before the week closes when the cohort has no session; to the cohort's report channel if set,
else as a DM to each organizer. The text is posted once per destination (`post_once`); the chart
follows in its thread through `files_upload_v2` when that post is fresh.
"""
from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.weeks import week_closes_at, week_opens_at
from bot.cohorts.store import active_cohorts, rhythm_of
from bot.cohorts.weeks import Week, week_of
from bot.database import Database
from bot.direct_messages import unreachable_members
from bot.groups.records import live_groups, members_by_group
from bot.models import Cohort
from bot.models.retention import ReportSettings
from bot.outbound import post_once
from bot.questionnaire.record import answers_per_chapter
from bot.retention import views
from bot.retention.activity import CohortActivity, cohort_activity, members
from bot.retention.chart import render_chart
from bot.retention.survival import as_dict, survival
from bot.scheduling import Occurrence
from bot.sessions.rsvp import rsvps_by_week
from bot.store import get_known, insert_ignore

REPORT_JOB = "retention-weekly-report"
CSV_HEADER = ("member_id", "week", "answered", "shared", "group_messages", "marked_done")


@dataclass(frozen=True)
class WeeklyReport:
    cohort: str
    week: int
    weeks: int
    members: int
    joined_this_week: int
    active_this_week: int
    active_per_week: list[int]
    answers_per_chapter: dict[int, int]
    quiet_groups: list[str] = field(default_factory=list)
    new_sharers: list[str] = field(default_factory=list)
    came_back: list[str] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)  # members no direct message reaches
    rsvps_per_week: dict[int, int] = field(default_factory=dict)  # "I'll be there" for each week's live session
    survival: dict = field(default_factory=dict)  # `bot.retention.survival.as_dict`: the curve, chapters done

    def as_dict(self) -> dict:
        return asdict(self)

    def text(self) -> str:
        return views.report_text(self.cohort, self.week, self.weeks, self.as_dict())


async def build_report(session: AsyncSession, cohort: Cohort, week: int) -> tuple[WeeklyReport, CohortActivity]:
    """Week `week`'s numbers (activity up to the end of that week) and the activity they came from."""
    if not 1 <= week <= cohort.weeks:
        raise ValueError(f"week must be between 1 and {cohort.weeks}, got {week}")
    the_week = week_of(cohort, week)
    activity = await cohort_activity(session, cohort)
    everyone = [m for m in await members(session, cohort.id) if m.joined_at < the_week.closes_at]
    active = [len(activity.active_users(number)) for number in range(1, week + 1)]
    return WeeklyReport(
        cohort=cohort.name, week=week, weeks=cohort.weeks, members=len(everyone),
        joined_this_week=_joined_in_week(cohort, week, [m.joined_at for m in everyone]),
        active_this_week=active[-1], active_per_week=active,
        answers_per_chapter=await answers_per_chapter(session, cohort.id, list(range(1, week + 1))),
        quiet_groups=await quiet_groups(session, cohort, activity, week),
        new_sharers=sorted(u for u, first in _first_shares(activity).items() if first == week),
        came_back=sorted(u for u in activity.active_users(week) if came_back(activity, u, week)),
        unreachable=list(await unreachable_members(session, cohort.team_id, cohort.id)),
        rsvps_per_week={n: c for n, c in (await rsvps_by_week(session, cohort.team_id, cohort.id)).items()
                        if n <= week},
        survival=as_dict(await survival(session, cohort, activity, [m.user_id for m in everyone], week)),
    ), activity


def _joined_in_week(cohort: Cohort, week: int, joined: list[datetime]) -> int:
    """How many joined in `week` (joining before week 1 counts as week 1; a break counts with the week before
    it, as `last_opened_week` places it): one window, read from the rhythm once, for every member."""
    rhythm = rhythm_of(cohort)
    if not 1 <= week <= rhythm.weeks:
        return 0
    since = week_opens_at(rhythm, week) if week > 1 else None
    until = week_opens_at(rhythm, week + 1) if week < rhythm.weeks else week_closes_at(rhythm, week)
    return sum(1 for at in joined if (since is None or since <= at) and at < until)


def _first_shares(activity: CohortActivity) -> dict[str, int]:
    """Each sharer's first week with a share, in one pass over the activity (not one pass per member)."""
    first: dict[str, int] = {}
    for (user, week), row in activity.rows.items():
        if row.shared and (user not in first or week < first[user]):
            first[user] = week
    return first


def came_back(activity: CohortActivity, user_id: str, week: int, quiet_weeks: int = 2) -> bool:
    """Active this week after `quiet_weeks` quiet weeks that followed some activity."""
    if week <= quiet_weeks + 1:
        return False
    quiet = not any(activity.active(user_id, n) for n in range(week - quiet_weeks, week))
    return quiet and any(activity.active(user_id, n) for n in range(1, week - quiet_weeks))


async def quiet_groups(session: AsyncSession, cohort: Cohort, activity: CohortActivity, week: int) -> list[str]:
    """Live groups none of whose members was active this week or the week before.

    A group is judged only once it has had a full week: formed before the previous week opened
    (for week 1, a week before it opened)."""
    grouped = await members_by_group(session, cohort.id)
    judged_from = week_of(cohort, week - 1).opens_at if week > 1 else week_of(cohort, 1).opens_at - timedelta(weeks=1)
    recent = range(max(1, week - 1), week + 1)
    quiet = []
    for group in await live_groups(session, cohort.id):
        users = [m.user_id for m in grouped.get(group.id, [])]
        if group.created_at > judged_from:
            continue
        if users and not any(activity.active(u, n) for u in users for n in recent):
            quiet.append(group.name)
    return quiet


def csv_rows(activity: CohortActivity, member_ids: list[str], week: int) -> list[tuple]:
    """One row per member per week 1..`week`: every member, every week, zeros included."""
    users = sorted(set(member_ids) | activity.users())
    return [(u, n, r.answered, r.shared, r.group_messages, r.marked_done)
            for u in users for n in range(1, week + 1) for r in [activity.row(u, n)]]


def csv_text(rows: list[tuple]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    writer.writerows(rows)
    return out.getvalue()


# ---- scheduling and posting -------------------------------------------------------------------------


async def settings_of(session: AsyncSession, cohort: Cohort) -> ReportSettings:
    await insert_ignore(session, ReportSettings, {"team_id": cohort.team_id, "cohort_id": cohort.id,
                                                  "hours_before_session": 24})
    settings = await session.scalar(select(ReportSettings).where(ReportSettings.cohort_id == cohort.id))
    assert settings is not None, "inserted above when it was missing"
    return settings


def report_due_at(week: Week, hours_before: int) -> datetime:
    """`hours_before` before the live session, else before the week closes; never before the week opens."""
    anchor = week.session or week.closes_at
    return max(week.opens_at, anchor - timedelta(hours=hours_before))


def report_occurrences(cohort: Cohort, settings: ReportSettings | None, now: datetime) -> list[Occurrence]:
    hours = settings.hours_before_session if settings else 24
    found = []
    for number in range(1, cohort.weeks + 1):
        week = week_of(cohort, number)
        if week.opens_at > now:
            break
        if week.closes_at > now - timedelta(days=7):
            found.append(Occurrence(cohort.team_id, f"cohort-{cohort.id}", f"week-{number}",
                                    report_due_at(week, hours), week.closes_at,
                                    {"cohort_id": cohort.id, "week": number}))
    return found


async def post_report(db: Database, client: AsyncWebClient, cohort_id: int, week: int, now: datetime) -> int:
    """Post week `week`'s report to each destination once, with the chart in the thread; returns posts made."""
    async with db.session() as session:
        cohort = await get_known(session, Cohort, cohort_id)
        report, _ = await build_report(session, cohort, week)
        settings = await settings_of(session, cohort)
        destinations = [settings.channel_id] if settings.channel_id else list(cohort.organizers or [])
    payload = views.report_message(report.cohort, week, report.weeks, report.as_dict())
    chart = render_chart(report)
    made = 0
    for destination in destinations:
        posted = await post_once(db, client, team_id=cohort.team_id,
                                 key=f"retention:report:{cohort_id}:week-{week}:{destination}",
                                 channel=destination, now=now, **payload)
        if posted is None or not posted.fresh:
            continue
        made += 1
        uploaded = await client.files_upload_v2(
            channel=posted.channel_id, thread_ts=posted.ts, file=chart, filename=f"week-{week}.png",
            title=views.chart_comment(report.cohort, week), alt_txt=views.CHART_ALT)
        async with db.session() as session:
            settings = await settings_of(session, cohort)
            settings.chart_file_id, settings.chart_week = (uploaded.get("file") or {}).get("id"), week
    return made


async def all_report_occurrences(session: AsyncSession, now: datetime) -> list[Occurrence]:
    """Read-only (this runs on every tick): a cohort without settings gets the defaults."""
    settings = {row.cohort_id: row for row in await session.scalars(select(ReportSettings))}
    return [o for cohort in await active_cohorts(session)
            for o in report_occurrences(cohort, settings.get(cohort.id), now)]
