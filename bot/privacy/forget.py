"""Forgetting a member: delete every row that names them in one workspace, and say what stays.

Used by `/study forget-me` (after the member confirms) and by organizers on request
(`studybot member forget U…`). Their own Slack messages are Slack's, not ours: the bot can't delete
them, but when the member deletes one, the bot clears its stored copy (answers, share posts).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.database import Database
from bot.errors import StudyError
from bot.forgotten import remember_forgotten
from bot.models import Base, Cohort
from bot.models.questionnaire import Answer, Prompt
from bot.privacy.records import KEPT, member_list_columns, naming, rows_listing, tables_naming_members
from bot.questionnaire.counts import mark_dirty
from bot.sessions.recordings import forget_adder
from bot.sessions.rsvp import before_forgetting
from bot.share.tallies import posts_engaged_by, recount_posts
from bot.store import rowcount


@dataclass
class Forgotten:
    deleted: dict[str, int] = field(default_factory=dict)  # table -> rows
    unlisted: int = 0  # other people's rows whose member list named them (the entry is removed, the row kept)
    organizer_of: list[str] = field(default_factory=list)  # cohorts still listing them as an organizer
    kept: list[str] = field(default_factory=list)  # other records kept, and why

    @property
    def total(self) -> int:
        return sum(self.deleted.values())


async def forget_member(db: Database, team_id: str, user_id: str, now: datetime) -> Forgotten:
    """Delete, in one transaction, every row naming `user_id` in `team_id`; nothing of anyone else.

    What they wrote until `now` is never recorded again (bot/forgotten.py); the counts shown on the
    prompts they answered are refreshed by the flush job.
    """
    forgotten = Forgotten()
    async with db.session() as session:
        engaged = await posts_engaged_by(session, team_id, user_id)
        await mark_dirty(session, *await _prompts_answered_by(session, team_id, user_id))
        await before_forgetting(session, team_id, user_id)  # the RSVP counts they were part of
        await remember_forgotten(session, team_id, user_id, now)
        for table in tables_naming_members():
            condition = naming(table, user_id)
            assert condition is not None, "tables_naming_members keeps only the tables it can name"
            result = await session.execute(delete(table).where(table.c.team_id == team_id, condition))
            if rowcount(result):
                forgotten.deleted[table.name] = rowcount(result)
        forgotten.unlisted = await _take_off_lists(session, team_id, user_id)
        await forget_adder(session, team_id, user_id)  # recordings they added stay, without their id
        await recount_posts(session, team_id, engaged)  # share posts' counts no longer count them
        await _what_stays(session, team_id, user_id, forgotten)
    return forgotten


async def _prompts_answered_by(session: AsyncSession, team_id: str, user_id: str) -> list[int]:
    return list(await session.scalars(select(Prompt.id).distinct().join(Answer, (Answer.cohort_id == Prompt.cohort_id)
        & (Answer.chapter == Prompt.chapter) & (Answer.position == Prompt.position)).where(
        Answer.team_id == team_id, Answer.user_id == user_id, Answer.deleted.is_(False))))


async def _take_off_lists(session: AsyncSession, team_id: str, user_id: str) -> int:
    """Remove the member from other people's rows' member lists; the number of rows changed."""
    changed = 0
    for table in Base.metadata.sorted_tables:
        for column in member_list_columns(table):
            for row in await rows_listing(session, table, column, team_id, user_id):
                key = [table.c[name] == row[name] for name in table.primary_key.columns.keys()]
                kept = [member for member in row[column.name] if member != user_id]
                await session.execute(update(table).where(*key).values({column.name: kept}))
                changed += 1
    return changed


async def _what_stays(session: AsyncSession, team_id: str, user_id: str, forgotten: Forgotten) -> None:
    cohorts = await session.scalars(select(Cohort).where(Cohort.team_id == team_id))
    forgotten.organizer_of = sorted(c.name for c in cohorts if user_id in (c.organizers or []))
    for (table_name, column), why in KEPT.items():
        table = Base.metadata.tables[table_name]
        count = await session.scalar(select(func.count()).select_from(table).where(
            table.c.team_id == team_id, table.c[column] == user_id))
        if count:
            forgotten.kept.append(why)


async def the_workspace(db: Database, team_id: str | None) -> str:
    """The workspace a CLI command means: the one given, or the only one with cohorts."""
    if team_id:
        return team_id
    async with db.session() as session:
        teams = sorted(set(await session.scalars(select(Cohort.team_id))))
    if len(teams) != 1:
        raise StudyError("no cohort exists yet: pass --team T…" if not teams
                         else f"several workspaces ({', '.join(teams)}): pass --team T…")
    return teams[0]
