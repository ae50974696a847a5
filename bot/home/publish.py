"""The member's Home view, gathered, drawn and published — only when it changed since the last time.

Members open the tab often, and gathering the Home is a dozen queries. So a process remembers, for a
short while (`FRESH_FOR`), each Home it gathered with a fingerprint of what the member changes themselves
(their answers, reading and nudge preferences, group membership): a reopen inside that while costs the
one read of the fingerprint, and gathers again only when it moved. What others change (an organizer,
a formation, the calendar) shows at the first open after `FRESH_FOR`.
"""
from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import weakref
from datetime import datetime, timedelta
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select

from bot.database import Database
from bot.home.dashboard import CohortHome, gather_home
from bot.home.views import render_home
from bot.models.commitments import Commitment
from bot.models.completion import ChapterMark
from bot.models.groups import GroupMember
from bot.models.home import PublishedHome
from bot.models.questionnaire import Answer
from bot.models.retention import MemberPreferences
from bot.retention.home import with_retention_blocks
from bot.store import insert_ignore

log = logging.getLogger(__name__)
FRESH_FOR = timedelta(seconds=30)
REMEMBERED = 20_000  # members per process; past that the memo starts again
_shown: weakref.WeakKeyDictionary[Database, dict[tuple[str, str], tuple[tuple, datetime]]] = weakref.WeakKeyDictionary()
_opening: weakref.WeakKeyDictionary[Database, dict[tuple[str, str], tuple[asyncio.Lock, int]]] = (
    weakref.WeakKeyDictionary())


async def _gathered_view(db: Database, client: AsyncWebClient | None, *, team_id: str, user_id: str,
                         now: datetime, command: str) -> tuple[dict[str, Any], bool]:
    """The view, and whether every section of it loaded (a Home missing one is not remembered).

    Its sections read in one session (each would otherwise open its own: ~20 checkouts and commits, about
    half a cold Home's cost); it only reads, so it is closed without a commit."""
    async with db.sessions() as session:
        reading = db.reading_in(session)
        home = await gather_home(reading, team_id=team_id, user_id=user_id, now=now, client=client)
        complete = not home.unavailable and all(_complete(cohort) for cohort in home.cohorts)
        try:
            view = render_home(command, home)
        except Exception:  # a rendering bug still leaves the member a welcome
            log.exception("home: could not render the home of %s/%s", team_id, user_id)
            view, complete = render_home(command), False
        return await with_retention_blocks(view, reading, team_id, user_id, now), complete  # plan, nudges (issue 12)


def _complete(cohort: CohortHome) -> bool:
    """Every section loaded, and the next question's link too (fetched from Slack within a time budget)."""
    following = cohort.questionnaire.next_question if cohort.questionnaire else None
    return not cohort.unavailable and (following is None or following.permalink is not None)


async def publish_home(db: Database, client: AsyncWebClient, *, team_id: str, user_id: str, now: datetime,
                       command: str) -> bool:
    """Publish the member's Home unless Slack already shows exactly this view; True when it was published.

    Opens of one member's Home take turns (a double click, a redelivery): the second compares with what
    the first published instead of publishing the same view beside it.
    """
    opening = _opening.setdefault(db, {})
    key = (team_id, user_id)
    lock, waiting = opening.get(key, (asyncio.Lock(), 0))
    opening[key] = (lock, waiting + 1)
    try:
        async with lock:
            return await _publish_unless_shown(db, client, team_id=team_id, user_id=user_id, now=now,
                                               command=command)
    finally:
        lock, waiting = opening[key]
        if waiting == 1:
            del opening[key]
        else:
            opening[key] = (lock, waiting - 1)


async def _publish_unless_shown(db: Database, client: AsyncWebClient, *, team_id: str, user_id: str,
                                now: datetime, command: str) -> bool:
    memo = _shown.setdefault(db, {})
    remembered = memo.get((team_id, user_id))
    fingerprint = await member_fingerprint(db, team_id, user_id)
    if remembered is not None and remembered[0] == fingerprint and now - remembered[1] < FRESH_FOR:
        return False
    view, complete = await _gathered_view(db, client, team_id=team_id, user_id=user_id, now=now, command=command)
    digest = hashlib.sha256(json.dumps(view, sort_keys=True).encode()).hexdigest()
    async with db.session() as session:
        shown = await session.scalar(select(PublishedHome).where(
            PublishedHome.team_id == team_id, PublishedHome.user_id == user_id))
    changed = shown is None or shown.view_hash != digest
    if changed:
        await client.views_publish(user_id=user_id, view=view)
        async with db.session() as session:
            values = {"team_id": team_id, "user_id": user_id, "view_hash": digest, "published_at": now}
            if not await insert_ignore(session, PublishedHome, values):
                shown = await session.scalar(select(PublishedHome).where(
                    PublishedHome.team_id == team_id, PublishedHome.user_id == user_id))
                assert shown is not None, "the insert above conflicted with it"
                shown.view_hash, shown.published_at = digest, now
    if len(memo) >= REMEMBERED:
        memo.clear()
    if complete:
        memo[(team_id, user_id)] = (fingerprint, now)
    else:
        memo.pop((team_id, user_id), None)
    return changed


async def member_fingerprint(db: Database, team_id: str, user_id: str) -> tuple:
    """What the member changed themselves, in one read: their answers, preferences, group memberships, chapters
    marked done and commitments."""
    answers = select(func.count(Answer.id), func.max(Answer.id), func.max(Answer.edited_at)).where(
        Answer.team_id == team_id, Answer.user_id == user_id, Answer.deleted.is_(False))
    preferences = select(func.count(MemberPreferences.id), func.max(MemberPreferences.updated_at)).where(
        MemberPreferences.team_id == team_id, MemberPreferences.user_id == user_id)
    groups = select(func.count(GroupMember.id), func.max(GroupMember.joined_at), func.max(GroupMember.left_at),
                    func.max(GroupMember.group_id), func.max(GroupMember.zone)).where(
        GroupMember.team_id == team_id, GroupMember.user_id == user_id)
    marks = select(func.count(ChapterMark.id), func.max(ChapterMark.id)).where(
        ChapterMark.team_id == team_id, ChapterMark.user_id == user_id)
    commitments = select(func.count(Commitment.id), func.max(Commitment.updated_at)).where(
        Commitment.team_id == team_id, Commitment.user_id == user_id)
    async with db.session() as session:
        row = (await session.execute(select(*_one_row(answers), *_one_row(preferences), *_one_row(groups),
                                            *_one_row(marks), *_one_row(commitments)))).one()
    return tuple(row)


def _one_row(query: Any) -> list[Any]:
    """Each aggregate of a one-row query as a scalar subquery, so three of them make one SELECT."""
    return [query.with_only_columns(column).scalar_subquery() for column in query.selected_columns]
