"""`/study ama`: the next session's board as the member sees it, sorted by votes, their own votes marked."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.ama.cards import board_cards, votes_of
from bot.ama.channel_board import session_for_questions
from bot.ama.views import render_board
from bot.ama.voting import toggle_vote
from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.models.ama import AmaBoard, AmaQuestion
from bot.store import get_known


async def show_board(db: Database, *, team_id: str, channel_id: str | None, user_id: str, now: datetime,
                     command: str) -> dict[str, Any]:
    """The next session's board of the cohort this request means."""
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command, subcommand="ama")
        week, session_at = await session_for_questions(session, cohort, now)
        board = await session.scalar(select(AmaBoard).where(
            AmaBoard.team_id == team_id, AmaBoard.cohort_id == cohort.id, AmaBoard.week == week))
        if board is None:
            return render_board([], set(), week, session_at, command)
    return await _render(db, board, user_id, command)


async def vote_on_board(db: Database, client: AsyncWebClient, *, team_id: str, user_id: str, question_id: int,
                        action_ts: str, now: datetime, command: str) -> dict[str, Any]:
    """A vote from the member's own board; returns the board again with the vote shown."""
    await toggle_vote(db, client, team_id=team_id, user_id=user_id, question_id=question_id, action_ts=action_ts,
                      now=now)
    async with db.session() as session:
        question = await get_known(session, AmaQuestion, question_id)
        board = await get_known(session, AmaBoard, question.board_id)
    return await _render(db, board, user_id, command)


async def _render(db: Database, board: AmaBoard, user_id: str, command: str) -> dict[str, Any]:
    async with db.session() as session:
        cards = await board_cards(session, board.id)
        mine = await votes_of(session, board.id, user_id)
    return render_board(cards, mine, board.week, board.session_at, command)
