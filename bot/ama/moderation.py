"""Running the session: organizers mark questions answered, pin, hide (with a reason sent privately
to the asker) or show them again; members report. Everything is refused to non-organizers."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import update

from bot.ama.moments import moment_text
from bot.ama.recording_views import answered_modal
from bot.ama.refresh import mark_dirty, refresh_if_due
from bot.ama.views import MAX_REASON, hide_modal, render_hidden_notice, render_review_notice
from bot.ama.voting import report
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort
from bot.models.ama import AmaBoard, AmaQuestion
from bot.organizers import REFUSAL, OrganizerCheck
from bot.outbound import post_once
from bot.store import get_known, rowcount

# verb → (the states it applies to, the change, what the organizer is told)
STEPS: dict[str, tuple[tuple[str, ...], dict[str, Any], str]] = {
    "reopen": (("answered",), {"state": "open", "answered_at": None}, "Back on the board as not answered yet."),
    "pin": (("open", "answered"), {"pinned": True}, "Pinned to the top of the board."),
    "unpin": (("open", "answered"), {"pinned": False}, "Unpinned."),
    "restore": (("hidden", "review"), {"state": "open", "reviewed": True, "hidden_reason": None},
                "Shown again; reports will no longer hide it."),
}


@dataclass(frozen=True)
class MenuOutcome:
    """A sentence for the clicker, or a modal to open (the reason for hiding)."""

    sentence: str | None = None
    modal: dict[str, Any] | None = None


async def allowed_question(db: Database, organizers: OrganizerCheck, team_id: str, user_id: str,
                   question_id: int) -> AmaQuestion:
    async with db.session() as session:
        question = await session.get(AmaQuestion, question_id)
        if question is None or question.team_id != team_id or question.state in ("draft", "withdrawn"):
            raise StudyError("That question is no longer on the board. Nothing was changed.")
        board = await get_known(session, AmaBoard, question.board_id)
        cohort = await get_known(session, Cohort, board.cohort_id)
    if not await organizers.allows(team_id, user_id, cohort):
        raise StudyError(REFUSAL)
    return question


async def choose(db: Database, client: AsyncWebClient, organizers: OrganizerCheck, *, team_id: str, user_id: str,
                 verb: str, question_id: int, now: datetime) -> MenuOutcome:
    """One choice from a question's "…" menu."""
    if verb == "report":
        said, hidden = await report(db, client, team_id=team_id, user_id=user_id, question_id=question_id, now=now)
        if hidden:
            await _ask_organizers_to_look(db, client, question_id, now)
        return MenuOutcome(said)
    question = await allowed_question(db, organizers, team_id, user_id, question_id)
    if verb == "hide":
        return MenuOutcome(modal=hide_modal(question.id, question.text))
    if verb in ("answered", "moment"):  # the form, with the moment in the recording (bot/ama/recording_admin.py)
        moment = question.recording_moment
        return MenuOutcome(modal=answered_modal(question.id, question.text,
                                                moment_text(moment) if moment is not None else None))
    states, values, said = STEPS[verb]
    async with db.session() as session:
        changed = await session.execute(update(AmaQuestion).where(
            AmaQuestion.id == question_id, AmaQuestion.state.in_(states)).values(**values))
    if not rowcount(changed):
        return MenuOutcome("Nothing to change: someone did that already.")
    await mark_dirty(db, question_id, now_too=True)
    await refresh_if_due(db, client, question_id, now)
    return MenuOutcome(said)


async def hide(db: Database, client: AsyncWebClient, organizers: OrganizerCheck, *, team_id: str, user_id: str,
               question_id: int, reason: str, now: datetime) -> None:
    """Hide a question and tell its asker why, privately (a DM only they see). Hiding a hidden
    question again changes the reason, and the asker is told the new one."""
    reason = reason.strip()
    if not reason:
        raise StudyError("Write a reason: the asker receives it privately.")
    if len(reason) > MAX_REASON:
        raise StudyError(f"Keep the reason under {MAX_REASON} characters.")
    question = await allowed_question(db, organizers, team_id, user_id, question_id)
    async with db.session() as session:
        changed = await session.execute(update(AmaQuestion).where(
            AmaQuestion.id == question_id, AmaQuestion.state.in_(("open", "answered", "review", "hidden"))).values(
            state="hidden", hidden_reason=reason, reviewed=True))
    if not rowcount(changed):
        return
    await mark_dirty(db, question_id, now_too=True)
    await refresh_if_due(db, client, question_id, now)
    # Once per reason (a lost answer or a second click never tells the asker twice; a new reason is told).
    reason_digest = hashlib.sha256(reason.encode()).hexdigest()[:16]
    await post_once(db, client, team_id=team_id, key=f"ama-hidden:{question_id}:{reason_digest}",
                    channel=question.user_id, now=now, **render_hidden_notice(question.text, reason))


async def _ask_organizers_to_look(db: Database, client: AsyncWebClient, question_id: int, now: datetime) -> None:
    """A DM to each organizer, once (never naming the asker or the reporters)."""
    async with db.session() as session:
        question = await get_known(session, AmaQuestion, question_id)
        board = await get_known(session, AmaBoard, question.board_id)
        cohort = await get_known(session, Cohort, board.cohort_id)
    notice = render_review_notice(question.text, board.week)
    for organizer in cohort.organizers or []:
        await post_once(db, client, team_id=board.team_id, key=f"ama-review:{question_id}:{organizer}",
                        channel=organizer, now=now, **notice)
