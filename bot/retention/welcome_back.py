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
from sqlalchemy import select
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


async def consume_message(message: ChannelMessage, runtime: Any, client: AsyncWebClient) -> None:
    """Runs after the questionnaire and share consumers, so their rows for this message exist."""
    if message.kind != "posted" or message.is_bot or not message.user_id:
        return
    async with runtime.db.session() as session:
        cohort = await group_cohort(session, message.team_id, message.channel_id)
        if cohort is not None:
            await record_group_message(session, cohort, message.user_id, message.posted_at)
            return
        found = await _answer_or_share(session, message)
    if found is not None:
        cohort, thread_ts = found
        await welcome_back_once(runtime.db, client, cohort, message.user_id, message.channel_id, thread_ts,
                                runtime.clock.now())


async def _answer_or_share(session: AsyncSession, message: ChannelMessage) -> tuple[Cohort, str] | None:
    """The cohort and the thread to reply in, when this message was recorded as an answer or a share."""
    cohort_id = await session.scalar(select(Answer.cohort_id).where(
        Answer.team_id == message.team_id, Answer.channel_id == message.channel_id,
        Answer.message_ts == message.ts, Answer.deleted.is_(False)))
    thread_ts = message.thread_ts
    if cohort_id is None and not message.is_reply:
        cohort_id = await session.scalar(select(SharePost.cohort_id).where(
            SharePost.team_id == message.team_id, SharePost.channel_id == message.channel_id,
            SharePost.ts == message.ts, SharePost.deleted.is_(False)))
        thread_ts = message.ts
    if cohort_id is None or thread_ts is None:
        return None
    cohort = await session.get(Cohort, cohort_id)
    return (cohort, thread_ts) if cohort is not None else None


def welcome_due(prefs: MemberPreferences, activity: CohortActivity, week: int, week_opened: datetime) -> bool:
    """After a nudge not yet followed by a welcome, or after two quiet weeks that followed some activity."""
    welcomed = prefs.welcomed_back_at
    if prefs.last_nudge_at is not None and (welcomed is None or welcomed < prefs.last_nudge_at):
        return True
    if week <= QUIET_WEEKS or (welcomed is not None and welcomed >= week_opened):
        return False
    quiet = not any(activity.active(prefs.user_id, number) for number in range(week - QUIET_WEEKS, week))
    active_before = any(activity.active(prefs.user_id, number) for number in range(1, week - QUIET_WEEKS))
    return quiet and active_before


async def welcome_back_once(db: Database, client: AsyncWebClient, cohort: Cohort, user_id: str, channel_id: str,
                            thread_ts: str, now: datetime) -> bool:
    week = current_week_of(cohort, now)
    if week is None:
        return False
    async with db.session() as session:  # read only: answering must not create preferences
        prefs = await session.scalar(select(MemberPreferences).where(
            MemberPreferences.cohort_id == cohort.id, MemberPreferences.user_id == user_id))
        prefs = prefs or MemberPreferences(user_id=user_id)
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
