"""Welcome back: the first answer or share after a nudge or a quiet spell gets one warm thread reply.

Also the message consumer of this feature: it counts each member's messages in their group channel
(for "posted in a group") and, on an answer or a share, decides whether a welcome back is due.
Once means once: `welcomed_back_at` is set when the reply is sent, and the reply is keyed by member
and week. No streaks, no counts of weeks missed.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.weeks import current_week_of
from bot.database import Database
from bot.messages import ChannelMessage
from bot.models import Cohort
from bot.models.questionnaire import Answer
from bot.models.retention import MemberPreferences
from bot.models.share import SharePost
from bot.outbound import post_once
from bot.retention import views
from bot.retention.activity import CohortActivity, cohort_activity, group_cohort, record_group_message
from bot.retention.nudges import QUIET_WEEKS
from bot.retention.preferences import preferences_of


async def consume_message(message: ChannelMessage, db: Database, client: AsyncWebClient) -> None:
    """Runs after the questionnaire and share consumers, so their rows for this message exist.

    An answer costs two indexed reads (is this a group channel; the answer with its cohort and the member's
    preferences); the member's activity is read only when those leave a welcome possible.
    """
    if message.kind != "posted" or message.is_bot or not message.user_id:
        return
    async with db.session() as session:
        cohort = await group_cohort(session, message.team_id, message.channel_id)
        if cohort is not None:
            await record_group_message(session, cohort, message.user_id, message.posted_at)
            return
        found = await _answer_or_share(session, message)
    if found is not None:
        cohort, thread_ts, prefs = found
        await welcome_back_once(db, client, cohort, message.user_id, message.channel_id, thread_ts,
                                db.clock.now(), prefs=prefs)


async def _answer_or_share(session: AsyncSession, message: ChannelMessage
                           ) -> tuple[Cohort, str, MemberPreferences | None] | None:
    """The cohort, the thread to reply in and the member's preferences, when this message was recorded as
    an answer or a share (one read each, by the message's unique key)."""
    def with_preferences(record: Any) -> Any:
        return (select(Cohort, MemberPreferences).join(record, record.cohort_id == Cohort.id)
                .outerjoin(MemberPreferences, and_(MemberPreferences.cohort_id == Cohort.id,
                                                   MemberPreferences.user_id == message.user_id)))

    row = (await session.execute(with_preferences(Answer).where(
        Answer.team_id == message.team_id, Answer.channel_id == message.channel_id,
        Answer.message_ts == message.ts, Answer.deleted.is_(False)))).first()
    thread_ts = message.thread_ts
    if row is None and not message.is_reply:
        row = (await session.execute(with_preferences(SharePost).where(
            SharePost.team_id == message.team_id, SharePost.channel_id == message.channel_id,
            SharePost.ts == message.ts, SharePost.deleted.is_(False)))).first()
        thread_ts = message.ts
    if row is None or thread_ts is None:
        return None
    return row[0], thread_ts, row[1]


def welcome_due(prefs: MemberPreferences, activity: CohortActivity, week: int, week_opened: datetime) -> bool:
    """After a nudge not yet followed by a welcome, or after two quiet weeks that followed some activity."""
    if nudged_since_welcome(prefs):
        return True
    if not quiet_spell_possible(prefs, week, week_opened):
        return False
    quiet = not any(activity.active(prefs.user_id, number) for number in range(week - QUIET_WEEKS, week))
    active_before = any(activity.active(prefs.user_id, number) for number in range(1, week - QUIET_WEEKS))
    return quiet and active_before


def nudged_since_welcome(prefs: MemberPreferences) -> bool:
    welcomed = prefs.welcomed_back_at
    return prefs.last_nudge_at is not None and (welcomed is None or welcomed < prefs.last_nudge_at)


def quiet_spell_possible(prefs: MemberPreferences, week: int, week_opened: datetime) -> bool:
    """False when no activity could make a quiet-spell welcome due (too early, or welcomed this week)."""
    welcomed = prefs.welcomed_back_at
    return week > QUIET_WEEKS and (welcomed is None or welcomed < week_opened)


async def welcome_back_once(db: Database, client: AsyncWebClient, cohort: Cohort, user_id: str, channel_id: str,
                            thread_ts: str, now: datetime, *, prefs: MemberPreferences | None = None) -> bool:
    """`prefs`: the member's preferences as the caller read them (None: they have none yet)."""
    week = current_week_of(cohort, now)
    if week is None:
        return False
    prefs = prefs or MemberPreferences(user_id=user_id)
    if not nudged_since_welcome(prefs):
        if not quiet_spell_possible(prefs, week.number, week.opens_at):
            return False
        async with db.session() as session:  # read only: answering must not create preferences
            if not welcome_due(prefs, await cohort_activity(session, cohort, user_id), week.number, week.opens_at):
                return False
    posted = await post_once(db, client, team_id=cohort.team_id,
                             key=f"retention:welcome:{cohort.id}:{user_id}:week-{week.number}",
                             channel=channel_id, thread_ts=thread_ts, now=now, text=views.welcome_back(user_id))
    if posted is None:
        return False
    async with db.session() as session:
        prefs = await preferences_of(session, cohort.team_id, cohort.id, user_id, now)
        prefs.welcomed_back_at = now
    return posted.fresh
