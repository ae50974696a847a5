""""I'll be there": one row per member per week (the unique key), toggled by a click, and the live count on
the messages carrying the button, refreshed with throttling.

As the AMA's votes do (`bot.ama.voting`): a redelivered action (same member, same `action_ts`) is recognised
through the processed-events table and changes nothing; a second click within `DOUBLE_CLICK` of the member's
last change is a double click and changes nothing. Both are single conditional statements, so they hold across
concurrent requests, replicas and restarts.

The count on a message (`session_rsvp_messages`) is updated at most once per `REFRESH_EVERY`: the first click
after a quiet spell updates it at once, later ones leave it dirty and the flush job shows the final count,
as the questionnaire's counts do (`bot.questionnaire.counts`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import delete, func, not_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.store import cohort_in
from bot.database import Database
from bot.errors import StudyError
from bot.models import ProcessedEvent
from bot.models.sessions import RsvpMessage, SessionRsvp
from bot.outbound import Posted
from bot.sessions.schedule import live_session
from bot.sessions.views import rsvp_sentence, with_count
from bot.store import insert_ignore, rowcount

log = logging.getLogger(__name__)
DOUBLE_CLICK = timedelta(seconds=2)
REFRESH_EVERY = timedelta(seconds=20)
GONE = {"message_not_found", "channel_not_found", "is_archived", "cant_update_message"}
NOT_HERE = "That button belongs to a cohort of another workspace. Nothing was changed."


@dataclass(frozen=True)
class Rsvped:
    week: int
    attending: bool
    changed: bool

    def sentence(self) -> str:
        return rsvp_sentence(self.attending, self.changed, self.week)


async def attending(session: AsyncSession, team_id: str, cohort_id: int, week: int) -> int:
    return await session.scalar(select(func.count()).select_from(SessionRsvp).where(
        SessionRsvp.team_id == team_id, SessionRsvp.cohort_id == cohort_id, SessionRsvp.week == week,
        SessionRsvp.active.is_(True))) or 0


async def toggle_rsvp(db: Database, client: AsyncWebClient, *, team_id: str, user_id: str, cohort_id: int,
                      week: int, action_ts: str, now: datetime) -> Rsvped:
    """Say (or take back) "I'll be there" for week `week`; then refresh the count where its window allows.
    A cohort of another workspace, or a week without a session still to come: StudyError, nothing changed."""
    async with db.session() as session:
        cohort = await cohort_in(session, team_id, cohort_id)
        if cohort is None:
            raise StudyError(NOT_HERE)
        live = await live_session(session, cohort, week)
        if live is None or live.cancelled:
            raise StudyError(f"Week {week} has no live session to come. Nothing was changed.")
        if live.starts_at + timedelta(hours=3) <= now:
            raise StudyError(f"Week {week}'s live session is over. Nothing was changed.")
        fresh = await insert_ignore(session, ProcessedEvent, {
            "team_id": team_id, "event_id": f"rsvp:{user_id}:{action_ts}"[:64], "received_at": now})
        changed = fresh and await _toggle(session, team_id, user_id, cohort_id, week, now)
        if changed:
            await session.execute(update(RsvpMessage).where(
                RsvpMessage.team_id == team_id, RsvpMessage.cohort_id == cohort_id, RsvpMessage.week == week,
                RsvpMessage.dirty.is_(False)).values(dirty=True))
        active = bool(await session.scalar(select(SessionRsvp.active).where(
            SessionRsvp.team_id == team_id, SessionRsvp.cohort_id == cohort_id, SessionRsvp.week == week,
            SessionRsvp.user_id == user_id)))
    if changed:
        await refresh_week(db, client, team_id=team_id, cohort_id=cohort_id, week=week, now=now)
    return Rsvped(week, active, changed)


async def _toggle(session: AsyncSession, team_id: str, user_id: str, cohort_id: int, week: int,
                  now: datetime) -> bool:
    key = {"team_id": team_id, "cohort_id": cohort_id, "week": week, "user_id": user_id}
    if await insert_ignore(session, SessionRsvp, {**key, "active": True, "changed_at": now}):
        return True
    flipped = await session.execute(update(SessionRsvp).where(
        *(getattr(SessionRsvp, name) == value for name, value in key.items()),
        SessionRsvp.changed_at <= now - DOUBLE_CLICK,
    ).values(active=not_(SessionRsvp.active), changed_at=now))
    return bool(rowcount(flipped))


async def remember_message(db: Database, *, team_id: str, cohort_id: int, week: int, posted: Posted,
                           payload: dict[str, Any], shown: int) -> None:
    """Keep a posted message carrying week `week`'s count, so later counts update it in place."""
    async with db.session() as session:
        await insert_ignore(session, RsvpMessage, {
            "team_id": team_id, "cohort_id": cohort_id, "week": week, "channel_id": posted.channel_id,
            "ts": posted.ts, "text": str(payload.get("text", ""))[:3000], "blocks": payload.get("blocks") or [],
            "shown_count": shown, "dirty": True, "updated_at": None})


def _due(now: datetime) -> tuple[Any, ...]:
    return (RsvpMessage.dirty.is_(True),
            or_(RsvpMessage.updated_at.is_(None), RsvpMessage.updated_at <= now - REFRESH_EVERY))


async def refresh_week(db: Database, client: AsyncWebClient, *, team_id: str, cohort_id: int, week: int,
                       now: datetime) -> int:
    """Update each of the week's messages whose window allows; how many `chat.update` calls were made."""
    async with db.session() as session:
        ids = list(await session.scalars(select(RsvpMessage.id).where(
            RsvpMessage.team_id == team_id, RsvpMessage.cohort_id == cohort_id, RsvpMessage.week == week,
            *_due(now))))
    return sum([await refresh_message(db, client, message_id, now) for message_id in ids])


async def refresh_message(db: Database, client: AsyncWebClient, message_id: int, now: datetime) -> bool:
    """Claim the message (clear dirty, stamp the time: one conditional UPDATE, so one refresher) and show
    the current count if it differs from the one shown."""
    async with db.session() as session:
        claimed = await session.execute(update(RsvpMessage).where(RsvpMessage.id == message_id, *_due(now))
                                        .values(dirty=False, updated_at=now))
        if not rowcount(claimed):
            return False
        row = await session.get(RsvpMessage, message_id)
        assert row is not None, "the update above just claimed it"
        count = await attending(session, row.team_id, row.cohort_id, row.week)
        if count == row.shown_count:
            return False
        channel, ts, text, blocks = row.channel_id, row.ts, row.text, with_count(list(row.blocks), count)
    try:
        await client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
    except SlackApiError as error:
        code = str(error.response.get("error"))
        async with db.session() as session:
            if code in GONE:
                await session.execute(delete(RsvpMessage).where(RsvpMessage.id == message_id))
            else:
                log.warning("could not update the RSVP count of message %s: %s", message_id, code)
                await session.execute(update(RsvpMessage).where(RsvpMessage.id == message_id).values(dirty=True))
        return True
    async with db.session() as session:
        await session.execute(update(RsvpMessage).where(RsvpMessage.id == message_id).values(shown_count=count))
    return True


async def due_messages(session: AsyncSession, now: datetime) -> list[tuple[int, str]]:
    """(message id, team id) of every message whose count waits to be shown."""
    return [(row.id, row.team_id) for row in await session.execute(
        select(RsvpMessage.id, RsvpMessage.team_id).where(*_due(now)).order_by(RsvpMessage.id))]


async def rsvps_by_week(session: AsyncSession, team_id: str, cohort_id: int) -> dict[int, int]:
    """Members who said they'll be there, per week (weeks nobody did are absent)."""
    rows = await session.execute(
        select(SessionRsvp.week, func.count()).where(
            SessionRsvp.team_id == team_id, SessionRsvp.cohort_id == cohort_id, SessionRsvp.active.is_(True))
        .group_by(SessionRsvp.week))
    return {row[0]: row[1] for row in rows.all()}


async def before_forgetting(session: AsyncSession, team_id: str, user_id: str) -> None:
    """In forget-me's transaction, before the member's RSVPs are deleted: the counts they were part of are
    marked for the flush job to show again without them."""
    weeks = select(SessionRsvp.cohort_id, SessionRsvp.week).where(
        SessionRsvp.team_id == team_id, SessionRsvp.user_id == user_id, SessionRsvp.active.is_(True))
    for cohort_id, week in (await session.execute(weeks)).all():
        await session.execute(update(RsvpMessage).where(
            RsvpMessage.team_id == team_id, RsvpMessage.cohort_id == cohort_id, RsvpMessage.week == week)
            .values(dirty=True))
