"""The weekly check-in in each pair's group DM, its answers, and the private offer of a new match after two quiet
weeks (answered "Not this week", or not answered) — sent to each member alike, naming no one.

A check-in is due four sevenths into the week (Saturday evening for a week opening on Tuesday), for pairs
introduced by then; once per pair and week (`post_once`, keyed by pair and week).
"""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.buddies import views
from bot.buddies.records import pair_members
from bot.cohorts.store import active_cohorts
from bot.cohorts.weeks import Week, current_week_of, weeks_around
from bot.commitments.store import commitment_lines
from bot.database import Database
from bot.errors import StudyError
from bot.models import Chapter
from bot.models.buddies import BuddyCheckIn, BuddyOptIn, BuddyPair
from bot.outbound import Posted, post_once, posted_or_busy
from bot.scheduling import Occurrence
from bot.store import get_known, insert_ignore, rowcount

CHECKIN_JOB = "buddies-check-in"
QUIET_JOB = "buddies-quiet-offer"
QUIET = (None, "none")  # a week's answer that counts as quiet: none at all, or "Not this week"
QUIET_OFFER_STALE = timedelta(days=2)
CHOICES = {action: choice for choice, action in views.CHECKIN_ACTIONS.items()}


def check_in_due(week: Week) -> datetime:
    return week.opens_at + (week.closes_at - week.opens_at) * 4 / 7


async def checkin_occurrences(session: AsyncSession, now: datetime) -> list[Occurrence]:
    found = []
    for cohort in await active_cohorts(session):
        week = current_week_of(cohort, now)
        if week is None or now < (due := check_in_due(week)):
            continue
        pairs = await session.scalars(select(BuddyPair.id).where(
            BuddyPair.cohort_id == cohort.id, BuddyPair.ended_at.is_(None), BuddyPair.introduced_size > 0,
            BuddyPair.created_at <= due))
        found += [Occurrence(cohort.team_id, f"cohort-{cohort.id}", f"pair-{pair_id}:week-{week.number}", due,
                             week.closes_at, {"pair_id": pair_id, "week": week.number}) for pair_id in pairs]
    return found


async def send_check_in(db: Database, client: AsyncWebClient, pair_id: int, week: int, now: datetime) -> bool:
    """Post the week's check-in in the pair's group DM (False: the pairing ended meanwhile)."""
    async with db.session() as session:
        pair = await get_known(session, BuddyPair, pair_id)
        if pair.ended_at is not None or not pair.channel:
            return False
        users = await pair_members(session, pair_id)
        title = await session.scalar(select(Chapter.title).where(Chapter.cohort_id == pair.cohort_id,
                                                                 Chapter.number == week))
        commitments = await commitment_lines(session, pair.cohort_id, week, users)
        await insert_ignore(session, BuddyCheckIn, {"team_id": pair.team_id, "pair_id": pair_id, "week": week,
                                                    "posted_at": now})
        team_id, channel, size = pair.team_id, pair.channel, pair.size
    payload = views.check_in(pair_id, week, size, title, commitments)
    posted_or_busy(await post_once(db, client, team_id=team_id, key=f"buddies:checkin:{pair_id}:week-{week}",
                                   channel=channel, now=now, **payload), "posting this check-in")
    return True


async def answer_check_in(db: Database, team_id: str, action_id: str, value: str, user_id: str,
                          now: datetime) -> str:
    """A tap on [Both of us] [One of us] [Not this week]: recorded (the last tap counts) by a member of the pair."""
    pair_text, _, week_text = value.partition(":")
    choice = CHOICES.get(action_id)
    if choice is None or not pair_text.isdigit() or not week_text.isdigit():
        raise StudyError(views.BUTTON_OUT_OF_DATE)
    async with db.session() as session:
        pair = await session.get(BuddyPair, int(pair_text))
        if pair is None or pair.team_id != team_id:
            raise StudyError(views.BUTTON_OUT_OF_DATE)
        if user_id not in await pair_members(session, pair.id):
            raise StudyError("That check-in belongs to another buddy pair; nothing was changed.")
        answered = await session.execute(update(BuddyCheckIn).where(
            BuddyCheckIn.pair_id == pair.id, BuddyCheckIn.week == int(week_text)).values(
            answer=choice, answered_by_user_id=user_id, answered_at=now))
        if not rowcount(answered):
            raise StudyError(views.BUTTON_OUT_OF_DATE)
    return views.check_in_answered(choice)


async def quiet_occurrences(session: AsyncSession, now: datetime) -> list[Occurrence]:
    """When week N closes: pairs whose check-ins of weeks N-1 and N were both quiet, and N-2's was not (once a
    quiet stretch)."""
    found = []
    for cohort in await active_cohorts(session):
        week = weeks_around(cohort, now).previous
        if week is None or week.number < 2 or now >= week.closes_at + QUIET_OFFER_STALE:
            continue
        answers: dict[int, dict[int, str | None]] = defaultdict(dict)
        for pair_id, number, answer in await session.execute(
                select(BuddyCheckIn.pair_id, BuddyCheckIn.week, BuddyCheckIn.answer)
                .join(BuddyPair, BuddyPair.id == BuddyCheckIn.pair_id)
                .where(BuddyPair.cohort_id == cohort.id, BuddyPair.ended_at.is_(None),
                       BuddyCheckIn.week.between(week.number - 2, week.number))):
            answers[pair_id][number] = answer
        for pair_id, weeks in answers.items():
            quiet = [n in weeks and weeks[n] in QUIET for n in (week.number - 2, week.number - 1, week.number)]
            if quiet[1] and quiet[2] and not quiet[0]:
                found.append(Occurrence(cohort.team_id, f"cohort-{cohort.id}", f"pair-{pair_id}:week-{week.number}",
                                        week.closes_at, week.closes_at + QUIET_OFFER_STALE,
                                        {"pair_id": pair_id, "week": week.number}))
    return found


async def send_quiet_offers(db: Database, client: AsyncWebClient, pair_id: int, week: int, now: datetime) -> int:
    """The same private offer to each member still in the pair; the number sent."""
    async with db.session() as session:
        pair = await get_known(session, BuddyPair, pair_id)
        if pair.ended_at is not None:
            return 0
        users = list(await session.scalars(select(BuddyOptIn.user_id).where(BuddyOptIn.pair_id == pair_id)
                                           .order_by(BuddyOptIn.user_id)))
        team_id, cohort_id = pair.team_id, pair.cohort_id
    sent = 0
    for user_id in users:
        posted: Posted | None = await post_once(
            db, client, team_id=team_id, key=f"buddies:quiet:{pair_id}:{user_id}:week-{week}", channel=user_id,
            now=now, **views.quiet_offer(cohort_id, pair_id))
        sent += posted is not None
    return sent
