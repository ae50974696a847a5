"""Set-up for chapters done: members who joined, marks and answers written as the bot stores them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from bot.completion.chapters import chapters_done_by_member
from bot.models import Cohort
from bot.models.completion import ChapterMark
from bot.models.groups import GroupMember
from bot.models.questionnaire import Answer
from tests.harness import StudyBot, text_of
from tests.questionnaire.conftest import CHANNEL


async def join(bot: StudyBot, cohort: Cohort, *users: str, at: datetime | None = None) -> None:
    async with bot.db.session() as session:
        for user in users:
            session.add(GroupMember(team_id=bot.team_id, cohort_id=cohort.id, user_id=user, zone="Europe/London",
                                    prefers=[], joined_at=at or bot.clock.now()))


async def private_answer(bot: StudyBot, cohort: Cohort, user: str, chapter: int, position: int,
                         at: datetime | None = None) -> None:
    """A private answer, keyed as `bot.questionnaire.private_answers` keys it."""
    async with bot.db.session() as session:
        session.add(Answer(team_id=bot.team_id, cohort_id=cohort.id, chapter=chapter, position=position,
                           user_id=user, channel_id="", message_ts=f"private:{cohort.id}:{chapter}:{position}:{user}",
                           text="in private", private=True, posted_at=at or bot.clock.now(),
                           recorded_at=at or bot.clock.now()))


async def done_of(bot: StudyBot, cohort: Cohort) -> dict[str, set[int]]:
    async with bot.db.session() as session:
        return await chapters_done_by_member(session, await session.get(Cohort, cohort.id))


async def marks_of(bot: StudyBot) -> list[tuple[str, int]]:
    async with bot.db.session() as session:
        rows = await session.execute(select(ChapterMark.user_id, ChapterMark.chapter).order_by(
            ChapterMark.user_id, ChapterMark.chapter))
        return [tuple(row) for row in rows]


async def study(bot: StudyBot, text: str, user: str, channel: str = CHANNEL) -> str:
    await bot.slash(text, user=user, channel=channel)
    await bot.settle()
    return text_of(await bot.reply())
