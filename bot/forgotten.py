"""Keeping a forgotten member forgotten: what they wrote up to `/study forget-me` is never recorded again.

Their messages stay in Slack, so catch-ups, late and redelivered events would bring them back. Each path
that records a member's message asks `was_forgotten` first (the answers path folds `forgotten_at_of` into
its prompt lookup). Only a salted SHA-256 of the workspace and Slack id is kept, with when they were
forgotten: what they write afterwards is a new member's.
"""
from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.selectable import ScalarSelect

from bot.messages import ts_to_datetime
from bot.models.privacy import ForgottenMember
from bot.store import insert_ignore

# Fixed for every install: a per-install secret that rotates would make forgotten members come back.
SALT = b"studybot/forgotten-member/v1\x00"


def member_hash(team_id: str, user_id: str) -> str:
    return hashlib.sha256(SALT + f"{team_id}\x00{user_id}".encode()).hexdigest()


def was_forgotten(forgotten_at: datetime | None, ts: str) -> bool:
    """Whether a message posted at `ts` is from before its author was forgotten."""
    return bool(ts) and written_before_forgotten(forgotten_at, ts_to_datetime(ts))


def written_before_forgotten(forgotten_at: datetime | None, written_at: datetime) -> bool:
    return forgotten_at is not None and written_at <= forgotten_at


def forgotten_at_of(team_id: str, user_id: str | None) -> ScalarSelect[datetime]:
    """When the member was forgotten (NULL if never), as a column to fold into another query."""
    return select(ForgottenMember.forgotten_at).where(
        ForgottenMember.team_id == team_id, ForgottenMember.member_hash == member_hash(team_id, user_id or ""),
    ).scalar_subquery()


async def forgotten_among(session: AsyncSession, team_id: str, user_ids: Iterable[str]) -> dict[str, datetime]:
    """Which of these members were forgotten, and when (one query for a page of history)."""
    hashes = {member_hash(team_id, user): user for user in set(user_ids) if user}
    found: dict[str, datetime] = {}
    wanted = list(hashes)
    for start in range(0, len(wanted), 500):
        rows = await session.execute(select(ForgottenMember.member_hash, ForgottenMember.forgotten_at).where(
            ForgottenMember.team_id == team_id, ForgottenMember.member_hash.in_(wanted[start:start + 500])))
        found.update({hashes[digest]: at for digest, at in rows})
    return found


async def forgotten_at(session: AsyncSession, team_id: str, user_id: str | None) -> datetime | None:
    return await session.scalar(select(forgotten_at_of(team_id, user_id))) if user_id else None


async def remember_forgotten(session: AsyncSession, team_id: str, user_id: str, now: datetime) -> None:
    """Record (or move forward, when forgotten again) the moment the member was forgotten."""
    digest = member_hash(team_id, user_id)
    values = {"team_id": team_id, "member_hash": digest, "forgotten_at": now}
    if not await insert_ignore(session, ForgottenMember, values):
        await session.execute(update(ForgottenMember).where(
            ForgottenMember.team_id == team_id, ForgottenMember.member_hash == digest,
            ForgottenMember.forgotten_at < now).values(forgotten_at=now))
