"""Which session's board a question goes to, and the board's thread in the cohort channel.

A board is one cohort week's live session. Its parent message is posted when the
first question arrives and each question is posted in its thread, all through
`post_once`, so concurrent askers, replicas and restarts never post twice. A
question whose board parent is still being posted by someone else waits, and the
`ama-refresh` job posts it within a minute.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.cards import card_of
from bot.ama.settings import setting_of
from bot.ama.views import render_parent, render_question
from bot.cohorts.weeks import week_of, weeks_around
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort
from bot.models.ama import AmaBoard, AmaQuestion
from bot.outbound import post_once
from bot.store import get_known, insert_ignore

# Questions asked during the session still belong to it.
SESSION_LENGTH = timedelta(hours=2)
POSTED_STATES = ("open", "answered", "hidden", "review")


class NoQuestionsYet(StudyError):
    """Week `week`'s board is empty: nobody has asked anything for that session yet."""

    def __init__(self, week: int, sentence: str) -> None:
        super().__init__(sentence)
        self.week = week


def board_key(board: AmaBoard) -> str:
    return f"ama-board:{board.cohort_id}:week-{board.week}"


def question_key(question_id: int) -> str:
    return f"ama-question:{question_id}"


def next_session(cohort: Cohort, now: datetime) -> tuple[int, datetime]:
    """The week whose live session is next (or under way): the current week's, else the next week's."""
    for week in weeks_around(cohort, now).weeks():
        if week.session is not None and now < week.session + SESSION_LENGTH:
            return week.number, week.session
    raise StudyError(f"{cohort.name} has no live session coming up, so there is no board to ask on."
                     " Nothing was changed.")


def session_of(cohort: Cohort, number: int, now: datetime) -> datetime:
    """Week `number`'s session, if it is ahead or under way; raises with the reason otherwise."""
    try:
        week = week_of(cohort, number)
    except ValueError:
        raise StudyError(f"{cohort.name} has weeks 1 to {cohort.weeks}; there is no week {number}.") from None
    if week.session is None or now >= week.session + SESSION_LENGTH:
        raise StudyError(f"Week {number}'s live session is over (or there is none), so its board can't be opened.")
    return week.session


async def session_for_questions(session: AsyncSession, cohort: Cohort, now: datetime) -> tuple[int, datetime]:
    """The board organizers opened for a later session while that session is ahead, else the next session's."""
    setting = await setting_of(session, cohort)
    if setting is not None and setting.open_week is not None:
        try:
            return setting.open_week, session_of(cohort, setting.open_week, now)
        except StudyError:
            pass  # that session is over: back to the next one
    return next_session(cohort, now)


async def board_for(session: AsyncSession, cohort: Cohort, now: datetime) -> AmaBoard:
    """The next session's board, created on first use (concurrent first askers get the same row)."""
    week, session_at = await session_for_questions(session, cohort, now)
    await insert_ignore(session, AmaBoard, {
        "team_id": cohort.team_id, "cohort_id": cohort.id, "week": week, "channel_id": cohort.channel_id,
        "session_at": session_at, "created_at": now})
    board = await session.scalar(select(AmaBoard).where(
        AmaBoard.team_id == cohort.team_id, AmaBoard.cohort_id == cohort.id, AmaBoard.week == week))
    assert board is not None, "inserted above when it was missing"
    return board


async def board_of_week(session: AsyncSession, cohort: Cohort, week: int | None, now: datetime) -> AmaBoard:
    """A given week's board, or the next session's; raises when nobody asked anything there yet."""
    if week is None:
        week, _ = await session_for_questions(session, cohort, now)
    elif not 1 <= week <= cohort.weeks:
        raise StudyError(f"{cohort.name} has weeks 1 to {cohort.weeks}; there is no week {week}.")
    board = await session.scalar(select(AmaBoard).where(
        AmaBoard.team_id == cohort.team_id, AmaBoard.cohort_id == cohort.id, AmaBoard.week == week))
    if board is None:
        raise NoQuestionsYet(week, f"Nobody has asked a question for week {week}'s live session of {cohort.name} yet.")
    return board


async def post_question(db: Database, client: AsyncWebClient, command: str, question_id: int, now: datetime) -> bool:
    """Post a question in its board's thread (the parent first, if needed); False when it must wait."""
    async with db.session() as session:
        question = await get_known(session, AmaQuestion, question_id)
        board = await get_known(session, AmaBoard, question.board_id)
        if question.ts or question.state not in POSTED_STATES:
            return True
        card = await card_of(session, question)
    parent = await post_once(db, client, team_id=board.team_id, key=board_key(board), channel=board.channel_id,
                             now=now, **render_parent(board.week, board.session_at, command))
    if parent is None:
        return False
    posted = await post_once(db, client, team_id=board.team_id, key=question_key(question_id),
                             channel=board.channel_id, thread_ts=parent.ts, now=now, **render_question(card))
    if posted is None:
        return False
    async with db.session() as session:
        await session.execute(update(AmaQuestion).where(AmaQuestion.id == question_id).values(ts=posted.ts))
    return True


async def unposted_questions(session: AsyncSession) -> list[tuple[int, str]]:
    """(question id, team id) of every question stored but not yet in its board's thread."""
    rows = await session.execute(select(AmaQuestion.id, AmaQuestion.team_id).where(
        AmaQuestion.ts.is_(None), AmaQuestion.state.in_(POSTED_STATES)).order_by(AmaQuestion.id))
    return [(row[0], row[1]) for row in rows]


async def any_unposted(session: AsyncSession) -> bool:
    return bool(await session.scalar(select(func.count(AmaQuestion.id)).where(
        AmaQuestion.ts.is_(None), AmaQuestion.state.in_(POSTED_STATES))))

