"""At the session's start: the board's top 10 questions, in the cohort channel or DMed to each organizer.

Each post goes through `post_once` (one key per board and recipient), so a tick
repeated, run by two replicas or after a restart posts it once.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.cards import board_cards
from bot.ama.settings import change_setting, setting_of
from bot.ama.views import TOP_COUNT, render_top
from bot.blocks import counted
from bot.cohorts.store import active_cohorts
from bot.cohorts.weeks import weeks_around
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort
from bot.models.ama import AmaBoard
from bot.outbound import post_once
from bot.store import get_known

# After this, the top questions are old news: a bot that was down does not post them late.
STALE_AFTER = timedelta(hours=1)
TOP_TO = ("channel", "organizers")


async def boards_starting(session: AsyncSession, now: datetime) -> list[AmaBoard]:
    """Boards whose session started within the last `STALE_AFTER`, by the cohort's rhythm as it is now
    (an organizer may have moved the session since the board was opened: the board records the new time)."""
    boards = []
    for cohort in await active_cohorts(session):
        for week in weeks_around(cohort, now).weeks():
            if week.session is None or not now - STALE_AFTER < week.session <= now:
                continue
            board = await session.scalar(select(AmaBoard).where(
                AmaBoard.team_id == cohort.team_id, AmaBoard.cohort_id == cohort.id, AmaBoard.week == week.number))
            if board is not None:
                board.session_at = week.session
                boards.append(board)
    return boards


async def top_to(session: AsyncSession, cohort: Cohort) -> str:
    setting = await setting_of(session, cohort)
    return setting.top_to if setting else "channel"


async def set_top_to(session: AsyncSession, cohort: Cohort, where: str) -> str:
    if where not in TOP_TO:
        raise StudyError("Say where the top questions go at the session's start: `channel` or `organizers`.")
    await change_setting(session, cohort, top_to=where)
    if where == "organizers":
        return "At each session's start the top questions will be DMed to the cohort's organizers."
    return "At each session's start the top questions will be posted in the cohort channel."


async def post_top(db: Database, client: AsyncWebClient, board_id: int, now: datetime) -> str:
    async with db.session() as session:
        board = await get_known(session, AmaBoard, board_id)
        cohort = await get_known(session, Cohort, board.cohort_id)
        where = await top_to(session, cohort)
        cards = [card for card in await board_cards(session, board.id) if card.state == "open"][:TOP_COUNT]
    top = render_top(cards, board.week)
    recipients = list(cohort.organizers or []) if where == "organizers" else [board.channel_id]
    for recipient in recipients:
        await post_once(db, client, team_id=board.team_id, key=f"ama-top:{board.id}:{recipient}",
                        channel=recipient, now=now, **top)
    return f"top {len(cards)} of week {board.week} to {counted(len(recipients), 'place')}"
