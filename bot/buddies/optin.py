"""Asking for a buddy and stopping: `/study buddy [off]`, the "Find me a study buddy" button (Home, planning DM),
and the answers to the private offers ("Find me a new buddy", "Keep my buddy", "No thanks")."""
from __future__ import annotations

from datetime import datetime

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.buddies import views
from bot.buddies.records import end_pair, pair_members
from bot.buddies.tending import settle
from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.groups.records import member_of
from bot.models import Cohort
from bot.models.buddies import BuddyOptIn, BuddyPair
from bot.scheduling import Busy
from bot.store import insert_ignore


async def buddy_command(db: Database, client: AsyncWebClient, *, team_id: str, channel_id: str, user_id: str,
                        args: str, command: str) -> str:
    """The reply to `/study buddy` (opt in) or `/study buddy off` (stop, ending a pairing kindly)."""
    choice = args.strip().lower()
    if choice not in ("", "off"):
        raise StudyError(views.usage(command))
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command, subcommand="buddy")
    if choice == "off":
        return await stop(db, client, cohort.id, user_id, db.clock.now(), command)
    return await opt_in(db, team_id, cohort.id, user_id, db.clock.now(), command)


async def _optin_of(session: AsyncSession, cohort_id: int, user_id: str) -> BuddyOptIn | None:
    return await session.scalar(select(BuddyOptIn).where(BuddyOptIn.cohort_id == cohort_id,
                                                         BuddyOptIn.user_id == user_id))


async def opt_in(db: Database, team_id: str, cohort_id: int, user_id: str, now: datetime, command: str) -> str:
    """Put a member of the cohort's groups on the list (matched by the next tick's round); one friendly line, and
    nothing changed, for someone who hasn't joined."""
    async with db.session() as session:
        member = await member_of(session, cohort_id, user_id, team_id)
        if member is None or member.left_at is not None:
            raise StudyError(views.join_first(command))
        if await insert_ignore(session, BuddyOptIn, {"team_id": team_id, "cohort_id": cohort_id, "user_id": user_id,
                                                     "opted_in_at": now, "active": True}):
            return views.opted_in_text(command)
        optin = await _optin_of(session, cohort_id, user_id)
        assert optin is not None, "the insert above conflicted with it"
        if optin.active and optin.pair_id is not None:
            partners = [u for u in await pair_members(session, optin.pair_id) if u != user_id]
            return views.already_paired_text(partners, command)
        if optin.active:
            return views.already_waiting_text()
        optin.active, optin.opted_in_at, optin.offer_pair_id = True, now, None
    return views.opted_in_text(command)


async def stop(db: Database, client: AsyncWebClient, cohort_id: int, user_id: str, now: datetime, command: str) -> str:
    async with db.session() as session:
        optin = await _optin_of(session, cohort_id, user_id)
        if optin is None or not optin.active:
            return views.off_text("none", command)
        pair_id = optin.pair_id
        if pair_id is None:
            optin.active = False
            return views.off_text("waiting", command)
        await end_pair(session, pair_id, "off", now, leaver=user_id)
    await _settle_now(db, client, pair_id, now)
    return views.off_text("paired", command)


async def _settle_now(db: Database, client: AsyncWebClient, pair_id: int, now: datetime) -> None:
    """The ending's notes at once; if another process is sending them, the next tick's round finishes them."""
    try:
        await settle(db, client, pair_id, now)
    except Busy:
        pass


async def _cohort_in(db: Database, team_id: str, value: str) -> int:
    if not value.isdigit():
        raise StudyError(views.BUTTON_OUT_OF_DATE)
    async with db.session() as session:
        cohort = await session.get(Cohort, int(value))
    if cohort is None or cohort.team_id != team_id:
        raise StudyError(views.BUTTON_OUT_OF_DATE)
    return cohort.id


async def opt_in_button(db: Database, team_id: str, value: str, user_id: str, command: str) -> str:
    """"Find me a study buddy" (its value: the cohort)."""
    return await opt_in(db, team_id, await _cohort_in(db, team_id, value), user_id, db.clock.now(), command)


async def new_buddy(db: Database, client: AsyncWebClient, team_id: str, value: str, user_id: str,
                    command: str) -> str:
    """"Find me a new buddy" (value `<cohort>:<pair>`): ends that pairing if it still runs (the others get the
    neutral note and their own offer) and puts the member back on the list."""
    cohort_value, _, pair_value = value.partition(":")
    cohort_id = await _cohort_in(db, team_id, cohort_value)
    if not pair_value.isdigit():
        raise StudyError(views.BUTTON_OUT_OF_DATE)
    now = db.clock.now()
    async with db.session() as session:
        optin = await _optin_of(session, cohort_id, user_id)
        pair = await session.get(BuddyPair, int(pair_value))
        current = optin is not None and pair is not None and optin.pair_id == pair.id and pair.ended_at is None
        if current:
            await end_pair(session, int(pair_value), "rematch", now, leaver=user_id, requeue=True)
    if not current:
        return await opt_in(db, team_id, cohort_id, user_id, now, command)
    await _settle_now(db, client, int(pair_value), now)
    return views.new_buddy_text(command)


async def keep_buddy(value: str) -> str:
    if not value.isdigit():
        raise StudyError(views.BUTTON_OUT_OF_DATE)
    return views.keep_text()


async def no_thanks(db: Database, team_id: str, value: str, command: str) -> str:
    await _cohort_in(db, team_id, value)
    return views.no_thanks_text(command)
