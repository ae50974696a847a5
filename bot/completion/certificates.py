"""Certificates of completion: the rule's window, who qualifies, the rows, the public page, a member's name.

A member qualifies when their chapters done reach the cohort's `complete_at`, counted from week 1's opening
until two weeks after the last week closes (`WINDOW_AFTER`); past that no certificate is issued on its own
(an organizer can still issue one by hand). The code in the link is `secrets.token_urlsafe(16)` and unique
across workspaces: a page request carries no workspace, so its lookup is by code alone.
"""
from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.weeks import week_of
from bot.cohorts.which import cohort_for_request
from bot.completion import certificate_views as views
from bot.completion import chapters
from bot.completion.certificate_page import PageFacts, render_page
from bot.database import Database
from bot.errors import StudyError
from bot.forgotten import forgotten_among
from bot.models import Cohort
from bot.models.certificates import Certificate
from bot.organizers import REFUSAL, OrganizerCheck
from bot.scheduling import Occurrence, once_a_minute
from bot.store import rowcount
from bot.syllabus.store import syllabus_about

WINDOW_AFTER = timedelta(weeks=2)
CERTIFICATES_JOB = "certificates"
CODE_SHAPE = re.compile(r"[A-Za-z0-9_-]{16,64}")


def new_code() -> str:
    return secrets.token_urlsafe(16)  # 128 random bits: unguessable, 22 characters


def link_for(public_url: str | None, code: str) -> str:
    """The verification link; without `STUDYBOT_PUBLIC_URL`, its path (the organizers know the host)."""
    return f"{(public_url or '').rstrip('/')}/certificates/{code}"


def window_of(cohort: Cohort) -> tuple[datetime, datetime]:
    """When chapters done count towards a certificate: week 1's opening to two weeks after the last week."""
    return week_of(cohort, 1).opens_at, week_of(cohort, cohort.weeks).closes_at + WINDOW_AFTER


def in_window(cohort: Cohort, now: datetime) -> bool:
    opens, closes = window_of(cohort)
    return opens <= now < closes


def book_of(cohort: Cohort) -> str:
    return str(syllabus_about(cohort).get("title") or cohort.name)


def dates_of(cohort: Cohort) -> str:
    zone = ZoneInfo(cohort.timezone)
    first = week_of(cohort, 1).opens_at.astimezone(zone).date()
    last = week_of(cohort, cohort.weeks).closes_at.astimezone(zone).date()
    return views.dates_words(first, last)


def rule_of(cohort: Cohort) -> str:
    return f"{chapters.complete_at(cohort)} of {cohort.weeks} chapters done"


async def qualifying(session: AsyncSession, cohort: Cohort) -> dict[str, int]:
    """Members meeting the rule now (forgotten members left out: a certificate is never re-created for
    someone who asked to be forgotten; an organizer may issue one by hand) → their chapters done."""
    need = chapters.complete_at(cohort)
    done = {user: len(numbers) for user, numbers in (await chapters.chapters_done_by_member(session, cohort)).items()
            if len(numbers) >= need}
    forgotten = await forgotten_among(session, cohort.team_id, done)
    return {user: count for user, count in done.items() if user not in forgotten}


async def certificates_of(session: AsyncSession, cohort: Cohort) -> list[Certificate]:
    return list(await session.scalars(select(Certificate).where(
        Certificate.team_id == cohort.team_id, Certificate.cohort_id == cohort.id).order_by(Certificate.issued_at,
                                                                                            Certificate.id)))


async def newly_qualifying(session: AsyncSession, cohort: Cohort) -> dict[str, int]:
    """Members meeting the rule who have no certificate (a revoked one counts: revoking is final)."""
    have = set(await session.scalars(select(Certificate.user_id).where(
        Certificate.team_id == cohort.team_id, Certificate.cohort_id == cohort.id)))
    return {user: count for user, count in (await qualifying(session, cohort)).items() if user not in have}


async def certificate_occurrences(session: AsyncSession, now: datetime) -> list[Occurrence]:
    """Read-only, every tick: one check per minute of each active cohort inside its window."""
    cohorts = await session.scalars(select(Cohort).where(Cohort.active.is_(True)).order_by(Cohort.id))
    minute = once_a_minute(now)
    return [Occurrence(cohort.team_id, f"cohort-{cohort.id}", minute.key, minute.due_at, minute.stale_at,
                       {"cohort_id": cohort.id}) for cohort in cohorts if in_window(cohort, now)]


@dataclass(frozen=True)
class Summary:
    cohort: str
    issued: int
    revoked: int
    by_hand: int
    qualifying: int
    rule: str
    window: str

    def text(self) -> str:
        return views.admin_summary(cohort=self.cohort, issued=self.issued, revoked=self.revoked,
                                   qualifying=self.qualifying, rule=self.rule, window=self.window,
                                   by_hand=self.by_hand)


async def summary_of(session: AsyncSession, cohort: Cohort, now: datetime) -> Summary:
    rows = await certificates_of(session, cohort)
    live = [row for row in rows if row.revoked_at is None]
    waiting = len(await newly_qualifying(session, cohort)) if in_window(cohort, now) else 0
    closes = window_of(cohort)[1].astimezone(ZoneInfo(cohort.timezone))
    return Summary(cohort.name, len(live), len(rows) - len(live), sum(row.by_hand for row in live), waiting,
                   rule_of(cohort), views.day_words(closes))


async def admin_certificates(db: Database, *, organizers: OrganizerCheck, team_id: str, user_id: str,
                             channel_id: str, command: str) -> str:
    """`/study admin certificates`: the summary of the cohort the request means, for its organizers."""
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command,
                                          subcommand="admin certificates")
    if not await organizers.allows(team_id, user_id, cohort):
        raise StudyError(REFUSAL)
    async with db.session() as session:
        return (await summary_of(session, cohort, db.clock.now())).text()


async def page_for(db: Database, code: str) -> str | None:
    """The verification page of a live certificate; None for a revoked, forgotten, unknown or malformed code."""
    if not CODE_SHAPE.fullmatch(code):
        return None
    async with db.session() as session:
        found = (await session.execute(select(Certificate, Cohort).join(Cohort, Cohort.id == Certificate.cohort_id)
                                       .where(Certificate.code == code, Certificate.revoked_at.is_(None)))).first()
        if found is None or not secrets.compare_digest(found[0].code, code):
            return None
        row, cohort = found
        return render_page(PageFacts(
            name=row.display_name if row.show_name else None, book=book_of(cohort), cohort=cohort.name,
            dates=dates_of(cohort), chapters=views.chapters_words(row.chapters_done, cohort.weeks),
            issued=views.day_words(row.issued_at.astimezone(ZoneInfo(cohort.timezone)))))


async def certificate_name_command(db: Database, *, team_id: str, user_id: str, args: str, command: str) -> str:
    """`/study certificate name off|on`: hide or show the member's name on their certificates' public pages
    (a choice about their name, so it holds for every cohort's certificate)."""
    words = args.lower().split()
    if len(words) != 2 or words[0] != "name" or words[1] not in ("on", "off"):
        raise StudyError(views.name_usage(command))
    show = words[1] == "on"
    async with db.session() as session:
        changed = await session.execute(update(Certificate).where(
            Certificate.team_id == team_id, Certificate.user_id == user_id).values(show_name=show))
        if not rowcount(changed):
            raise StudyError(views.no_certificate(command))
    return views.name_shown(show)
