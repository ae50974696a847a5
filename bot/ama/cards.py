"""Questions as they may be shown, with their votes counted from the database (never kept as a counter).

Counting the votes table at render time is what keeps the messages from drifting:
whatever order clicks, redeliveries and restarts come in, the number shown is the
number of active vote rows when the message was rendered.
"""
from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Select, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.views import TEXT_CLEARED, QuestionCard
from bot.models.ama import AmaQuestion, AmaVote

SHOWN_STATES = ("open", "answered")


def _tallies(question_ids: Sequence[int] | Select[int]) -> Select[int, int, int | None]:
    return (
        select(AmaVote.question_id, func.count(AmaVote.id),
               func.sum(case((AmaVote.also_asked.is_(True), 1), else_=0)))
        .where(AmaVote.question_id.in_(question_ids), AmaVote.active.is_(True))
        .group_by(AmaVote.question_id)
    )


def _card(question: AmaQuestion, votes: int, also: int) -> QuestionCard:
    return QuestionCard(question.id, question.text or TEXT_CLEARED, None if question.anonymous else question.user_id,
                        question.state, question.pinned, votes, also, question.answered_at)


async def card_of(session: AsyncSession, question: AmaQuestion) -> QuestionCard:
    row = (await session.execute(_tallies([question.id]))).first()
    return _card(question, int(row[1]) if row else 0, int(row[2] or 0) if row else 0)


async def board_cards(session: AsyncSession, board_id: int, *,
                      states: Sequence[str] = SHOWN_STATES) -> list[QuestionCard]:
    """The board's questions in board order: pinned, then most votes, then oldest; answered ones last."""
    questions = list(await session.scalars(select(AmaQuestion).where(
        AmaQuestion.board_id == board_id, AmaQuestion.state.in_(states))))
    on_board = select(AmaQuestion.id).where(AmaQuestion.board_id == board_id)
    counts = {row[0]: (int(row[1]), int(row[2] or 0)) for row in await session.execute(_tallies(on_board))}
    cards = [_card(q, *counts.get(q.id, (0, 0))) for q in questions]
    return sorted(cards, key=lambda c: (c.state == "answered", not c.pinned, -c.votes, c.id))


async def votes_of(session: AsyncSession, board_id: int, user_id: str) -> set[int]:
    rows = await session.scalars(select(AmaVote.question_id).join(AmaQuestion, AmaQuestion.id == AmaVote.question_id)
                                 .where(AmaQuestion.board_id == board_id, AmaVote.user_id == user_id,
                                        AmaVote.active.is_(True)))
    return set(rows)
