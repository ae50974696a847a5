"""The organizer's side of recordings and of answers found in them: adding a week's recording (Slack and
the CLI) and marking a question answered at a moment of the recording (the "Mark answered" form and
`/study admin ama answered Q 12:34`). Each write is followed by a sweep of what it made due (the thread
post, the DMs); whatever Slack refuses then is done by the `session-recordings` job's next tick."""
from __future__ import annotations

import logging
from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select, update

from bot.ama.moderation import allowed_question
from bot.ama.moments import moment_text, parse_moment
from bot.ama.recording_dms import send_answer_dms
from bot.ama.refresh import mark_dirty, refresh_if_due
from bot.blocks import counted
from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort
from bot.models.ama import AmaBoard, AmaQuestion, AmaVote
from bot.organizers import REFUSAL, OrganizerCheck
from bot.sessions.recording_views import saved_sentence
from bot.sessions.recordings import FROM_CLI, AnnouncementKey, recording_url, save_recording, show_in_thread
from bot.store import get_known

log = logging.getLogger(__name__)
__all__ = ["FROM_CLI", "add_recording", "admin_recording", "answered_command", "mark_answered"]
RETRIED = "the bot tries again every minute"


async def add_recording(db: Database, client: AsyncWebClient, cohort: Cohort, week: int, url: str, *,
                        added_by: str, now: datetime, announcement_key: AnnouncementKey) -> str:
    """Store week `week`'s recording, post it in the week's announcement thread and send the DMs it made due;
    the sentence for the organizer."""
    saved = await save_recording(db, cohort, week, url, added_by=added_by, now=now)
    if saved.replaced == "":
        return saved_sentence(cohort.name, week, "", "")
    try:
        await show_in_thread(db, client, cohort, week, now, announcement_key=announcement_key)
        sent = await send_answer_dms(db, lambda _team: client, now, question_ids=await _answered_in(db, cohort, week))
    except Exception as error:  # stored: the job's sweep posts it
        log.warning("recording of %s week %s stored; posting it failed: %r", cohort.id, week, error)
        failed = f"posting it failed for now ({_said(error)}); {RETRIED}"
        return saved_sentence(cohort.name, week, saved.replaced, failed)
    where = "posted in the week's announcement thread" + (
        f", and {counted(sent, 'member')} got a link to where their question is answered" if sent else "")
    return saved_sentence(cohort.name, week, saved.replaced, where)


async def _answered_in(db: Database, cohort: Cohort, week: int) -> list[int]:
    async with db.session() as session:
        return list(await session.scalars(select(AmaQuestion.id).join(AmaBoard, AmaBoard.id == AmaQuestion.board_id)
                                          .where(AmaBoard.team_id == cohort.team_id, AmaBoard.cohort_id == cohort.id,
                                                 AmaBoard.week == week, AmaQuestion.recording_moment.is_not(None))))


def _said(error: Exception) -> str:
    response = getattr(error, "response", None)
    return f"Slack said {response.get('error')}" if response is not None else type(error).__name__


async def admin_recording(db: Database, client: AsyncWebClient, organizers: OrganizerCheck, *, team_id: str,
                          channel_id: str, user_id: str, args: str, now: datetime, command: str,
                          announcement_key: AnnouncementKey) -> str:
    """`/study admin recording N URL`."""
    words = args.split()
    usage = f"Try `{command} admin recording <week> <https://link>`, e.g. `{command} admin recording 3 https://youtu.be/…`."
    if len(words) != 2 or not words[0].isdigit():
        raise StudyError(f"{usage} Nothing was changed.")
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command,
                                          subcommand="admin recording")
    if not await organizers.allows(team_id, user_id, cohort):
        raise StudyError(REFUSAL)
    return await add_recording(db, client, cohort, int(words[0]), words[1], added_by=user_id, now=now,
                               announcement_key=announcement_key)


async def mark_answered(db: Database, client: AsyncWebClient, organizers: OrganizerCheck, *, team_id: str,
                        user_id: str, question_id: int, moment: str, now: datetime) -> str:
    """Mark a question answered (it may be already), at `moment` of the recording when one is given."""
    seconds = parse_moment(moment) if moment.strip() else None
    question = await allowed_question(db, organizers, team_id, user_id, question_id)
    if question.state not in ("open", "answered"):
        raise StudyError("Only a question on the board can be marked answered; show it again first."
                         " Nothing was changed.")
    values: dict = {"state": "answered"}
    if question.state == "open":
        values["answered_at"] = now
    if seconds is not None:
        values["recording_moment"] = seconds
    async with db.session() as session:
        await session.execute(update(AmaQuestion).where(
            AmaQuestion.id == question_id, AmaQuestion.state.in_(("open", "answered"))).values(**values))
        board = await get_known(session, AmaBoard, question.board_id)
        cohort = await get_known(session, Cohort, board.cohort_id)
        recorded = await recording_url(session, cohort, board.week)
        voters = await session.scalar(select(func.count(AmaVote.id)).where(
            AmaVote.question_id == question_id, AmaVote.active.is_(True), AmaVote.user_id != question.user_id)) or 0
    if question.state == "open":
        await mark_dirty(db, question_id, now_too=True)
        await refresh_if_due(db, client, question_id, now)
    said = "Marked answered: struck through and moved down the board." if question.state == "open" else \
        "It was marked answered already."
    if seconds is None:
        return said
    people = f"the asker and {counted(voters, 'upvoter')}"
    if recorded is None:
        return (f"{said} At {moment_text(seconds)} in the recording: once week {board.week}'s recording is added,"
                f" {people} get a link to that moment.")
    try:
        sent = await send_answer_dms(db, lambda _team: client, now, question_ids=[question_id])
    except Exception as error:  # stored: the job's sweep sends them
        log.warning("answer DMs for question %s failed: %r", question_id, error)
        return f"{said} At {moment_text(seconds)} in the recording; sending the links failed for now ({RETRIED})."
    return (f"{said} At {moment_text(seconds)} in the recording: {counted(sent, 'member')} got a link to that moment"
            f" ({people} in all; nobody gets it twice).")


async def answered_command(db: Database, client: AsyncWebClient, organizers: OrganizerCheck, *, team_id: str,
                           user_id: str, words: list[str], now: datetime, command: str) -> str:
    """`/study admin ama answered Q [12:34]` (Q: the question's id, the export's `id` column)."""
    if len(words) not in (1, 2) or not words[0].lstrip("#").isdigit():
        raise StudyError(f"Try `{command} admin ama answered <question id> [12:34]` (the id is in"
                         f" `{command} admin ama export`). Nothing was changed.")
    return await mark_answered(db, client, organizers, team_id=team_id, user_id=user_id,
                               question_id=int(words[0].lstrip("#")), moment=words[1] if len(words) == 2 else "",
                               now=now)
