"""A feed's version, read in one indexed query: calendar apps poll every few minutes, and an unchanged feed
costs them (and us) that query and a 304.

The query finds the token by its fingerprint (unique index) and reads, beside it, every input of the feed
in small correlated subqueries: the cohort's settings (its rhythm, session time, weeks, breaks, name), its
chapters' titles and links, and for a member's feed their reading plan (`retention_members`), their group
membership and their group's members' zones and preferences (what the group's slot is computed from).
The version is the sha256 of all of it, so any change to what the feed shows changes it — with no
timestamps for other features to remember to bump. The sessions feature's per-week moves join here as
one more subquery (`_session_inputs`).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Text, cast, exists, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlalchemy.sql.elements import ColumnElement

from bot.models import Chapter, Cohort
from bot.models.feeds import FeedToken
from bot.models.groups import GroupMember, StudyGroup
from bot.models.retention import MemberPreferences
from bot.models.sessions import SessionOverride
from bot.models.workspaces import Workspace

SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Found:
    """The token's row and the feed's version now."""

    token_id: int
    team_id: str
    cohort_id: int
    user_id: str
    version: str
    stored_version: str | None
    changed_at: datetime | None


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _text(*columns: Any) -> ColumnElement[str]:
    """The columns as one text (NULL as empty), to aggregate or compare."""
    parts: list[ColumnElement[str]] = [func.coalesce(cast(column, Text), "") for column in columns]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined + literal(SEPARATOR) + part
    return joined


def _inputs() -> list[Any]:
    member_row = aliased(GroupMember)
    group_member = aliased(GroupMember)
    group_id = select(member_row.group_id).where(
        member_row.cohort_id == FeedToken.cohort_id, member_row.user_id == FeedToken.user_id,
        member_row.team_id == FeedToken.team_id, member_row.left_at.is_(None)).correlate(FeedToken).scalar_subquery()
    return [
        Cohort.name, Cohort.timezone, Cohort.start_local, Cohort.weeks, Cohort.session, cast(Cohort.breaks, Text),
        select(func.aggregate_strings(_text(Chapter.number, Chapter.title, Chapter.links), ";"))
        .where(Chapter.cohort_id == FeedToken.cohort_id).scalar_subquery(),
        select(_text(MemberPreferences.zone, MemberPreferences.plan, MemberPreferences.week_plan_week,
                     MemberPreferences.week_plan_at)).where(
            MemberPreferences.cohort_id == FeedToken.cohort_id, MemberPreferences.user_id == FeedToken.user_id,
            MemberPreferences.team_id == FeedToken.team_id).scalar_subquery(),
        select(_text(member_row.zone, member_row.group_id, member_row.left_at)).where(
            member_row.cohort_id == FeedToken.cohort_id, member_row.user_id == FeedToken.user_id,
            member_row.team_id == FeedToken.team_id).scalar_subquery(),
        select(_text(StudyGroup.name, StudyGroup.status, StudyGroup.created_at))
        .where(StudyGroup.id == group_id).scalar_subquery(),
        select(func.aggregate_strings(_text(group_member.user_id, group_member.zone, group_member.prefers), ";"))
        .where(group_member.group_id == group_id, group_member.left_at.is_(None)).scalar_subquery(),
        *_session_inputs(),
    ]


def _session_inputs() -> list[Any]:
    """The cohort's join link and its per-week session changes (moves, links, cancellations): each change
    raises that week's `sequence`."""
    return [
        Cohort.session_link,
        select(func.aggregate_strings(_text(SessionOverride.week, SessionOverride.sequence), ";"))
        .where(SessionOverride.cohort_id == FeedToken.cohort_id).scalar_subquery(),
    ]


async def find_feed(session: AsyncSession, token: str) -> Found | None:
    """The feed `token` opens and its version now, in one query; None for an unknown token, one whose cohort is
    not its workspace's, or one of a workspace that uninstalled the bot."""
    query = (select(FeedToken.id, FeedToken.team_id, FeedToken.cohort_id, FeedToken.user_id, FeedToken.version,
                    FeedToken.changed_at, *_inputs())
             .join(Cohort, (Cohort.id == FeedToken.cohort_id) & (Cohort.team_id == FeedToken.team_id))
             .where(FeedToken.token_hash == token_digest(token), ~exists().where(
                 Workspace.team_id == FeedToken.team_id, Workspace.stopped_at.is_not(None))))
    row = (await session.execute(query)).first()
    if row is None:
        return None
    version = hashlib.sha256(repr((row[0], *row[6:])).encode()).hexdigest()
    return Found(row[0], row[1], row[2], row[3], version, row[4], row[5])
