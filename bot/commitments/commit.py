"""Making a commitment: "I'll finish this week's chapter by <day>", from the day menu (planning DM, App Home)
or `/study commit [day]`. One per member and week; changing the day before the deadline replaces it."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import Block
from bot.cohorts.store import cohort_in
from bot.cohorts.weeks import Week, current_week_of
from bot.cohorts.which import cohort_for_request
from bot.commitments import views
from bot.commitments.days import deadline, local_day, open_days, read_day
from bot.commitments.store import commitment_of, zones_of
from bot.database import Database
from bot.errors import StudyError
from bot.groups.records import member_of
from bot.models import Chapter, Cohort
from bot.models.commitments import Commitment
from bot.store import insert_ignore


@dataclass(frozen=True)
class Choice:
    """What a member may pick this week: the week, its chapter in words, the days left, their zone."""

    cohort: Cohort
    week: Week
    chapter: str
    days: list[date]
    zone: str
    current: Commitment | None
    now: datetime

    @property
    def changeable(self) -> bool:
        return self.current is None or not settled(self.current, self.now)


def settled(row: Commitment, now: datetime) -> bool:
    """Its deadline came (asked or answered already): the day can no longer change this week."""
    return row.asked_at is not None or row.outcome is not None or row.due_at <= now


async def choice_for(session: AsyncSession, cohort: Cohort, user_id: str, now: datetime,
                     command: str = "/study") -> Choice:
    """The member's choice this week; StudyError (one friendly line) when they can't commit now."""
    member = await member_of(session, cohort.id, user_id)
    if member is None or member.left_at is not None:
        raise StudyError(f"Commitments are for members of a study group: join with `{command} join` first."
                         " Nothing was changed.")
    week = current_week_of(cohort, now)
    if week is None:
        raise StudyError("No week is open right now — you can commit once the next week's chapter opens."
                         " Nothing was changed.")
    title = await session.scalar(select(Chapter.title).where(Chapter.cohort_id == cohort.id,
                                                             Chapter.number == week.number))
    zone = (await zones_of(session, cohort, [user_id]))[user_id]
    current = await commitment_of(session, cohort.team_id, cohort.id, user_id, week.number)
    return Choice(cohort, week, views.chapter_words(week.number, title), open_days(week, zone, now), zone, current,
                  now)


def offer(choice: Choice) -> list[Block]:
    """The day menu (with the current day chosen), or the line saying how it stands once the deadline came."""
    current = choice.current
    if current is not None and not choice.changeable:
        return [views.standing_block(choice.chapter, current.outcome, current.due_at, choice.now)]
    if not choice.days:
        return []
    chosen = local_day(current.due_at, choice.zone) if current is not None else None
    return [views.offer_block(choice.cohort.id, choice.week.number, choice.chapter, choice.days,
                              chosen if chosen in choice.days else None)]


async def offer_blocks(session: AsyncSession, cohort: Cohort, user_id: str, now: datetime) -> list[Block]:
    """The commitment part of the planning DM: [] when the member can't commit now (the DM goes without it)."""
    try:
        return offer(await choice_for(session, cohort, user_id, now))
    except StudyError:
        return []


async def home_blocks(db: Database, cohort: Cohort, user_id: str, now: datetime) -> list[Block]:
    """The commitment part of the member's App Home for one cohort."""
    async with db.session() as session:
        return await offer_blocks(session, cohort, user_id, now)


async def commit_command(db: Database, team_id: str, channel_id: str, user_id: str, args: str, now: datetime,
                         command: str) -> str | dict[str, Any]:
    """`/study commit` → the day menu; `/study commit thu` → the confirmation."""
    typed = args.strip()
    if len(typed.split()) > 1:
        raise StudyError(views.commit_usage(command))
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command, subcommand="commit")
        choice = await choice_for(session, cohort, user_id, now, command)
        if not typed:
            blocks = offer(choice)
            if not blocks:
                raise StudyError("There are no days left to commit to this week — next week, then!")
            return views.command_reply(blocks[0])
        day = read_day(typed, choice.days, local_day(now, choice.zone), command)
        return await _commit(session, choice, user_id, day, now)


async def commit_from_menu(db: Database, team_id: str, value: str, user_id: str, now: datetime) -> str:
    """A day picked in the menu (its value: cohort, week, day)."""
    read = views.read_picker_value(value)
    async with db.session() as session:
        cohort = await cohort_in(session, team_id, read[0] if read else None)
        if read is None or cohort is None:
            raise StudyError(views.BUTTON_OUT_OF_DATE)
        choice = await choice_for(session, cohort, user_id, now)
        if read[1] != choice.week.number:
            raise StudyError("That menu is from an earlier week — this week's is on your Home. Nothing was changed.")
        if read[2] not in choice.days:
            raise StudyError("That day has already passed — pick a later one. Nothing was changed.")
        return await _commit(session, choice, user_id, read[2], now)


async def _commit(session: AsyncSession, choice: Choice, user_id: str, day: date, now: datetime) -> str:
    if not choice.changeable:
        raise StudyError("This week's deadline has come already — tell me how it went in our DM, and commit"
                         " again next week if you like. Nothing was changed.")
    cohort, due = choice.cohort, deadline(day, choice.zone)
    inserted = await insert_ignore(session, Commitment, {
        "team_id": cohort.team_id, "cohort_id": cohort.id, "user_id": user_id, "week": choice.week.number,
        "chapter": choice.week.number, "due_at": due, "extended": False, "created_at": now, "updated_at": now})
    if not inserted:
        row = await commitment_of(session, cohort.team_id, cohort.id, user_id, choice.week.number)
        assert row is not None, "the insert above conflicted with it"
        if settled(row, now):  # asked between reading the choice and now
            raise StudyError("This week's deadline has come already. Nothing was changed.")
        row.due_at, row.updated_at = due, now
    return views.committed_text(choice.chapter, day, changed=not inserted)
