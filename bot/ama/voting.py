"""Votes and reports on questions.

One vote per member per question is the unique key of `ama_votes`. A click
toggles it, except:
- a redelivered action (same member, same `action_ts`) is recognised through the
  processed-events table and changes nothing;
- a second click by the same member on the same question within `DOUBLE_CLICK`
  of their last change is a double click and changes nothing. Both checks are
  single conditional statements, so they hold across concurrent requests,
  replicas and restarts.
The asker gets no automatic vote. Three reports hide a question until an organizer looks.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, not_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.refresh import mark_dirty, refresh_if_due
from bot.database import Database
from bot.errors import StudyError
from bot.models import ProcessedEvent
from bot.models.ama import AmaQuestion, AmaReport, AmaVote
from bot.store import insert_ignore, rowcount

DOUBLE_CLICK = timedelta(seconds=2)
REPORTS_TO_HIDE = 3
GONE = "That question is no longer on the board. Nothing was changed."


@dataclass(frozen=True)
class Voted:
    question_id: int
    voted: bool  # the member's vote after this click
    changed: bool

    def sentence(self) -> str:
        if self.voted:
            return "Your vote is counted. Click again to take it back." if self.changed else "Your vote is counted."
        return "Your vote was taken back." if self.changed else "You haven't voted for this one."


async def question_in(db: Database, team_id: str, question_id: int) -> AmaQuestion:
    """A question members can vote on, in the caller's workspace (StudyError otherwise)."""
    async with db.session() as session:
        question = await session.get(AmaQuestion, question_id)
    if question is None or question.team_id != team_id or question.state not in ("open", "answered"):
        raise StudyError(GONE)
    return question


async def toggle_vote(db: Database, client: AsyncWebClient, *, team_id: str, user_id: str, question_id: int,
                      action_ts: str, now: datetime) -> Voted:
    """Add or take back the member's vote; then refresh the question's message if its window allows.

    One transaction that writes first (the click's claim), so on SQLite it holds the write lock
    from its first statement and concurrent clicks queue instead of failing.
    """
    async with db.session() as session:
        fresh = await insert_ignore(session, ProcessedEvent, {
            "team_id": team_id, "event_id": f"ama-vote:{user_id}:{action_ts}"[:64], "received_at": now})
        question = await session.get(AmaQuestion, question_id)
        if question is None or question.team_id != team_id or question.state not in ("open", "answered"):
            raise StudyError(GONE)
        changed = fresh and await _toggle(session, team_id, user_id, question_id, now)
        if changed:
            await session.execute(update(AmaQuestion).where(AmaQuestion.id == question_id).values(message_dirty=True))
        voted = bool(await session.scalar(select(AmaVote.active).where(
            AmaVote.team_id == team_id, AmaVote.question_id == question_id, AmaVote.user_id == user_id)))
    if changed:
        await refresh_if_due(db, client, question_id, now)
    return Voted(question_id, voted, changed)


async def _toggle(session: AsyncSession, team_id: str, user_id: str, question_id: int, now: datetime) -> bool:
    if await insert_ignore(session, AmaVote, {"team_id": team_id, "question_id": question_id,
                                              "user_id": user_id, "active": True, "changed_at": now}):
        return True
    flipped = await session.execute(update(AmaVote).where(
        AmaVote.team_id == team_id, AmaVote.question_id == question_id, AmaVote.user_id == user_id,
        AmaVote.changed_at <= now - DOUBLE_CLICK,
    ).values(active=not_(AmaVote.active), also_asked=False, changed_at=now))
    return bool(rowcount(flipped))


async def add_also_asked(db: Database, client: AsyncWebClient, *, team_id: str, user_id: str, question_id: int,
                         now: datetime) -> None:
    """The member's vote, marked as "also asked" (they had the same question)."""
    await question_in(db, team_id, question_id)
    async with db.session() as session:
        values = {"team_id": team_id, "question_id": question_id, "user_id": user_id, "active": True,
                  "also_asked": True, "changed_at": now}
        if not await insert_ignore(session, AmaVote, values):
            await session.execute(update(AmaVote).where(
                AmaVote.team_id == team_id, AmaVote.question_id == question_id, AmaVote.user_id == user_id,
            ).values(active=True, also_asked=True, changed_at=now))
    await mark_dirty(db, question_id)
    await refresh_if_due(db, client, question_id, now)


async def report(db: Database, client: AsyncWebClient, *, team_id: str, user_id: str, question_id: int,
                 now: datetime) -> tuple[str, bool]:
    """Count a member's report once; the third hides the question until an organizer looks.
    Returns the sentence for the reporter, and whether this report hid the question."""
    await question_in(db, team_id, question_id)
    async with db.session() as session:
        fresh = await insert_ignore(session, AmaReport, {"team_id": team_id, "question_id": question_id,
                                                         "user_id": user_id, "created_at": now})
        reports = await session.scalar(
            select(func.count(AmaReport.id)).where(AmaReport.question_id == question_id)) or 0
        hidden = reports >= REPORTS_TO_HIDE and rowcount(await session.execute(update(AmaQuestion).where(
            AmaQuestion.id == question_id, AmaQuestion.state == "open", AmaQuestion.reviewed.is_(False),
        ).values(state="review"))) > 0
    if hidden:
        await mark_dirty(db, question_id, now_too=True)
        await refresh_if_due(db, client, question_id, now)
    if not fresh:
        return "You reported this question already; the organizers will look at it.", False
    return "Thank you — the organizers will look at it. Nobody else sees who reported it.", bool(hidden)
