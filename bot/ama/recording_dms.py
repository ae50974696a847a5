"""Answers found in the recording: one DM to the asker and to each upvoter of a question answered at a
moment of the week's recording, with a link to that moment.

Exactly once per person per question, whatever the order of events (the recording before or after the
moment, a replaced recording URL, a retry after Slack failed): the DMs are worked out from the database
each time — answered questions with a moment whose week has a recording, their asker and active voters,
less those already sent — and each goes through `post_once` under `recording-dm:q<question>:<member>`,
claimed before it is sent. A sweep runs every tick (schedules/recordings.py) and right after either write.
Nothing for members who turned DMs off (`/study nudges off`), whom no DM reaches, or who were forgotten.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.moments import moment_link, moment_text
from bot.ama.recording_views import render_answer_dm
from bot.ama.views import TEXT_CLEARED
from bot.database import Database
from bot.forgotten import forgotten_among, written_before_forgotten
from bot.models import DirectChannel, OutboundMessage
from bot.models.ama import AmaBoard, AmaQuestion, AmaVote
from bot.models.recordings import SessionRecording
from bot.models.retention import MemberPreferences
from bot.outbound import post_once

ClientFor = Callable[[str], AsyncWebClient]
WINDOW = timedelta(days=60)  # sessions older than this get no more DMs
CHUNK = 500


def dm_key(question_id: int, user_id: str) -> str:
    return f"recording-dm:q{question_id}:{user_id}"


@dataclass(frozen=True)
class AnswerDm:
    team_id: str
    cohort_id: int
    question_id: int
    user_id: str
    asked: bool
    question: str
    week: int
    url: str
    moment: int
    written_at: datetime  # the question (asker) or the vote (upvoter)

    @property
    def key(self) -> str:
        return dm_key(self.question_id, self.user_id)


async def due_answer_dms(session: AsyncSession, now: datetime, *,
                         question_ids: Iterable[int] | None = None) -> list[AnswerDm]:
    """The DMs not sent yet, for every answered question with a moment whose week has a recording."""
    boards = {board_id: (week, cohort_id, url) for board_id, week, cohort_id, url in await session.execute(
        select(AmaBoard.id, AmaBoard.week, AmaBoard.cohort_id, SessionRecording.url)
        .join(SessionRecording, (SessionRecording.team_id == AmaBoard.team_id)
              & (SessionRecording.cohort_id == AmaBoard.cohort_id) & (SessionRecording.week == AmaBoard.week))
        .where(AmaBoard.session_at >= now - WINDOW))}
    if not boards:
        return []
    # The recorded weeks' boards first, then their questions by board: an index search, never a scan of every
    # question ever asked.
    query = select(AmaQuestion).where(AmaQuestion.board_id.in_(list(boards)), AmaQuestion.state == "answered",
                                      AmaQuestion.recording_moment.is_not(None))
    if question_ids is not None:
        query = query.where(AmaQuestion.id.in_(list(question_ids)))
    found: list[AnswerDm] = []
    questions = {}
    for question in await session.scalars(query):
        week, cohort_id, url = boards[question.board_id]
        questions[question.id] = (question, week, cohort_id, url)
        found.append(_dm(question, week, cohort_id, url, question.user_id, True, question.created_at))
    if not questions:
        return []
    votes = await session.execute(select(AmaVote.question_id, AmaVote.user_id, AmaVote.changed_at).where(
        AmaVote.question_id.in_(list(questions)), AmaVote.active.is_(True)))
    for question_id, user_id, changed_at in votes:
        question, week, cohort_id, url = questions[question_id]
        if user_id != question.user_id:
            found.append(_dm(question, week, cohort_id, url, user_id, False, changed_at))
    return await _not_excluded(session, found)


def _dm(question: AmaQuestion, week: int, cohort_id: int, url: str, user_id: str, asked: bool,
        written_at: datetime) -> AnswerDm:
    assert question.recording_moment is not None, "selected with a moment"
    return AnswerDm(question.team_id, cohort_id, question.id, user_id, asked, question.text or TEXT_CLEARED, week,
                    url, question.recording_moment, written_at)


async def _not_excluded(session: AsyncSession, dms: list[AnswerDm]) -> list[AnswerDm]:
    teams = {dm.team_id for dm in dms}
    users = {dm.user_id for dm in dms}
    opted_out = {tuple(row) for row in await session.execute(
        select(MemberPreferences.cohort_id, MemberPreferences.user_id).where(
            MemberPreferences.team_id.in_(teams), MemberPreferences.user_id.in_(users),
            MemberPreferences.nudges.is_(False)))}
    unreachable = {tuple(row) for row in await session.execute(
        select(DirectChannel.team_id, DirectChannel.user_id).where(
            DirectChannel.team_id.in_(teams), DirectChannel.user_id.in_(users),
            DirectChannel.unreachable.is_not(None)))}
    forgotten = {team: await forgotten_among(session, team, (dm.user_id for dm in dms if dm.team_id == team))
                 for team in teams}
    keys = [dm.key for dm in dms]
    sent: set[tuple[str, str]] = set()
    for start in range(0, len(keys), CHUNK):
        sent.update((team, key) for team, key in await session.execute(
            select(OutboundMessage.team_id, OutboundMessage.key).where(
                OutboundMessage.key.in_(keys[start:start + CHUNK]), OutboundMessage.status == "sent")))
    return [dm for dm in dms
            if (dm.team_id, dm.key) not in sent and (dm.cohort_id, dm.user_id) not in opted_out
            and (dm.team_id, dm.user_id) not in unreachable
            and not written_before_forgotten(forgotten[dm.team_id].get(dm.user_id), dm.written_at)]


async def send_answer_dms(db: Database, client_for: ClientFor, now: datetime, *,
                          question_ids: Iterable[int] | None = None) -> int:
    """Send the due DMs (of these questions only, when given); the number sent now."""
    async with db.session() as session:
        due = await due_answer_dms(session, now, question_ids=question_ids)
    sent = 0
    for dm in due:
        at = moment_link(dm.url, dm.moment)
        message = render_answer_dm(question=dm.question, week=dm.week, asked=dm.asked, url=at.url, exact=at.exact,
                                   moment=moment_text(dm.moment))
        posted = await post_once(db, client_for(dm.team_id), team_id=dm.team_id, key=dm.key, channel=dm.user_id,
                                 now=now, unfurl_links=False, **message)
        sent += bool(posted and posted.fresh)
    return sent
