"""Asking a question: checked, offered the near-duplicate already on the board, stored, posted.

A question very similar to one already on the board (plain string similarity) is
kept as a *draft* and the asker is offered *Upvote that instead* / *Ask mine
anyway*; choosing is a conditional state change of the draft, so a double click
or a redelivered action does it once. The same member asking the same text
twice is refused by the unique key on (board, member, normalised text).
"""
from __future__ import annotations

import difflib
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import String, cast, literal, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.cards import board_cards
from bot.ama.channel_board import board_for, post_question, session_for_questions
from bot.ama.views import (
    MAX_QUESTION,
    QuestionCard,
    ask_modal,
    notice_modal,
    offer_modal,
    render_asked,
    render_offer,
)
from bot.ama.voting import add_also_asked, question_in
from bot.cohorts.store import cohort_in
from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort
from bot.models.ama import AmaBoard, AmaQuestion
from bot.store import insert_ignore, rowcount

SIMILAR_ENOUGH = 0.8
COHORT_GONE = "That cohort no longer exists; nothing was stored."
NOT_WAITING = "That question isn't waiting for you any more. Nothing was changed."


@dataclass(frozen=True)
class Asked:
    """What to show the asker: as a message (slash command, button) or as a modal (the form)."""

    message: dict[str, Any]
    modal: dict[str, Any]


def normalised(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def text_key(text: str) -> str:
    return hashlib.sha256(normalised(text).encode()).hexdigest()


async def clear_questions_text(session: AsyncSession, cohort: Cohort) -> int:
    """Clear what members wrote in this cohort's questions, keeping the rows (votes, states); the number changed.

    The text's hash goes too (a short question is easy to guess from it), replaced by a key unique to the row.
    """
    boards = select(AmaBoard.id).where(AmaBoard.team_id == cohort.team_id, AmaBoard.cohort_id == cohort.id)
    cleared = await session.execute(update(AmaQuestion).where(
        AmaQuestion.team_id == cohort.team_id, AmaQuestion.board_id.in_(boards),
        (AmaQuestion.text != "") | AmaQuestion.hidden_reason.is_not(None),
    ).values(text="", hidden_reason=None, text_key=literal("cleared:") + cast(AmaQuestion.id, String)))
    return rowcount(cleared)


def checked_text(text: str, command: str) -> str:
    text = (text or "").strip()
    if not text:
        raise StudyError(f"Type your question after `{command} ask` (e.g. `{command} ask How do I pick a"
                         f" learning rate?`), or run `{command} ask` alone for a form. Nothing was stored.")
    if len(text) > MAX_QUESTION:
        raise StudyError(f"Your question is {len(text):,} characters; the board takes up to {MAX_QUESTION:,}."
                         " Please shorten it — nothing was stored.")
    return text


def most_similar(text: str, cards: list[QuestionCard], own: set[int]) -> QuestionCard | None:
    """The board's question most like `text` above `SIMILAR_ENOUGH`, not counting the asker's own."""
    wanted = normalised(text)
    best, best_ratio = None, SIMILAR_ENOUGH
    for card in cards:
        if card.id in own:
            continue
        matcher = difflib.SequenceMatcher(None, wanted, normalised(card.text), autojunk=False)
        if matcher.real_quick_ratio() < best_ratio or matcher.quick_ratio() < best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio >= best_ratio:
            best, best_ratio = card, ratio
    return best


async def open_ask_form(db: Database, *, team_id: str, channel_id: str | None, user_id: str, now: datetime,
                        command: str, about: str | None = None) -> dict[str, Any]:
    """The ask modal for the cohort this request means (raises when there is no session to ask for);
    `about`: the text of the message the member asks about (the message shortcut)."""
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command, subcommand="ask")
        week, _ = await session_for_questions(session, cohort, now)
    return ask_modal(cohort.id, week, about)


async def ask(db: Database, client: AsyncWebClient, *, team_id: str, channel_id: str | None, user_id: str,
              text: str, anonymous: bool, now: datetime, command: str, cohort_id: int | None = None) -> Asked:
    """Ask on the next session's board of the request's cohort (or of `cohort_id`, from the form)."""
    text = checked_text(text, command)
    async with db.session() as session:
        if cohort_id is not None:  # from the form: that cohort, if it is this workspace's
            cohort = await cohort_in(session, team_id, cohort_id)
            if cohort is None:
                raise StudyError(COHORT_GONE)
        else:
            cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command,
                                              subcommand="ask")
        board = await board_for(session, cohort, now)
        question, similar = await _store(session, board, user_id, text, anonymous, now)
    if similar is not None:
        return Asked(render_offer(similar, question.id), offer_modal(similar, question.id))
    await post_question(db, client, command, question.id, now)
    said = render_asked(board.week, anonymous)
    return Asked({"text": said}, notice_modal(said))


async def _store(session: AsyncSession, board: AmaBoard, user_id: str, text: str, anonymous: bool,
                 now: datetime) -> tuple[AmaQuestion, QuestionCard | None]:
    key = text_key(text)
    mine = await session.scalar(select(AmaQuestion).where(
        AmaQuestion.team_id == board.team_id, AmaQuestion.board_id == board.id, AmaQuestion.user_id == user_id,
        AmaQuestion.text_key == key))
    if mine is not None and mine.state not in ("draft", "withdrawn"):
        raise StudyError("You already asked that on this board — it's there with its votes. Nothing was stored.")
    cards = await board_cards(session, board.id)
    own = set(await session.scalars(select(AmaQuestion.id).where(
        AmaQuestion.board_id == board.id, AmaQuestion.user_id == user_id)))
    similar = most_similar(text, cards, own)
    values = {"text": text, "anonymous": anonymous, "state": "draft" if similar else "open", "created_at": now}
    if mine is not None:
        await session.execute(update(AmaQuestion).where(AmaQuestion.id == mine.id).values(**values))
        await session.refresh(mine)
        return mine, similar
    inserted = await insert_ignore(session, AmaQuestion, {
        "team_id": board.team_id, "board_id": board.id, "user_id": user_id, "text_key": key, **values})
    if not inserted:  # the same member's identical question, committed a moment ago by a double submit
        raise StudyError("You already asked that on this board — it's there with its votes. Nothing was stored.")
    question = await session.scalar(select(AmaQuestion).where(
        AmaQuestion.team_id == board.team_id, AmaQuestion.board_id == board.id, AmaQuestion.user_id == user_id,
        AmaQuestion.text_key == key))
    assert question is not None, "inserted above"
    return question, similar


async def ask_anyway(db: Database, client: AsyncWebClient, *, team_id: str, user_id: str, draft_id: int,
                     now: datetime, command: str) -> str:
    """The asker chose to post their question although a similar one is on the board."""
    async with db.session() as session:
        changed = await session.execute(update(AmaQuestion).where(
            AmaQuestion.id == draft_id, AmaQuestion.team_id == team_id, AmaQuestion.user_id == user_id,
            AmaQuestion.state == "draft").values(state="open"))
        question = await session.get(AmaQuestion, draft_id)
        board = await session.get(AmaBoard, question.board_id) if question else None
    if question is None or question.team_id != team_id or question.user_id != user_id or board is None:
        raise StudyError(NOT_WAITING)
    if not rowcount(changed):
        return "Your question is already on the board."
    await post_question(db, client, command, draft_id, now)
    return render_asked(board.week, question.anonymous)


async def upvote_instead(db: Database, client: AsyncWebClient, *, team_id: str, user_id: str, draft_id: int,
                         similar_id: int, now: datetime) -> str:
    """The asker upvotes the similar question (counted as "also asked by") and their draft is withdrawn."""
    await question_in(db, team_id, similar_id)  # before withdrawing anything: it must be this workspace's
    async with db.session() as session:
        draft = await session.get(AmaQuestion, draft_id)
        if draft is None or draft.team_id != team_id or draft.user_id != user_id:
            raise StudyError(NOT_WAITING)
        changed = await session.execute(update(AmaQuestion).where(
            AmaQuestion.id == draft_id, AmaQuestion.team_id == team_id, AmaQuestion.user_id == user_id,
            AmaQuestion.state == "draft").values(state="withdrawn"))
    if not rowcount(changed):
        return "Already done: your vote is on that question."
    await add_also_asked(db, client, team_id=team_id, user_id=user_id, question_id=similar_id, now=now)
    return "Upvoted that question instead, and it now counts you among those who also asked it."
