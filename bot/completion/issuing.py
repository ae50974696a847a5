"""Issuing certificates: the rows, the name Slack shows, and the one DM with the image.

The job (`issue_due`) creates a row for each member newly meeting the rule, then sends every row not yet
sent: one `post_once` DM per certificate (its key names the member and the row, so it is sent once across
ticks, restarts and replicas), and the image uploaded into the DM when that post is fresh, as the weekly
report's chart is. Images are drawn in one child process per batch (`certificate_image`).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.completion import certificate_views as views
from bot.completion import chapters
from bot.completion.certificate_image import CertificateFacts, render_certificates
from bot.completion.certificates import (
    book_of,
    dates_of,
    in_window,
    link_for,
    new_code,
    newly_qualifying,
)
from bot.database import Database
from bot.direct_messages import readable_channel
from bot.models import Cohort
from bot.models.certificates import Certificate
from bot.outbound import post_once
from bot.store import get_known, insert_ignore, rowcount

BATCH = 40  # certificates drawn and sent per run; the rest go at the next tick
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Sending:
    """What the DMs need beyond the database: the link's host and the slash command's name."""

    public_url: str | None
    command: str


@dataclass(frozen=True)
class Outcome:
    issued: int
    sent: int


async def issue_due(db: Database, client: AsyncWebClient, cohort_id: int, now: datetime, *,
                    sending: Sending) -> Outcome:
    """The job: certificates for members newly meeting the rule inside the window, then the DMs due."""
    async with db.session() as session:
        cohort = await get_known(session, Cohort, cohort_id)
        if not in_window(cohort, now):
            return Outcome(0, 0)
        new = await newly_qualifying(session, cohort)
    issued = 0
    for user_id, done in sorted(new.items())[:BATCH]:
        name = await display_name(client, user_id)
        if name is not None:
            issued += await _create(db, cohort, user_id, done, name, now, by_hand=False)
    return Outcome(issued, await send_pending(db, client, cohort_id, now, sending=sending))


async def display_name(client: AsyncWebClient, user_id: str) -> str | None:
    """The member's name as Slack shows it (display name, else real name); None when Slack won't say."""
    try:
        user = (await client.users_info(user=user_id))["user"]
    except SlackApiError as error:
        log.info("no name for %s's certificate yet: %s", user_id, error.response.get("error"))
        return None
    profile = user.get("profile") or {}
    name = profile.get("display_name") or profile.get("real_name") or user.get("real_name") or user.get("name")
    return (str(name).strip() or None) if name else None


async def _create(db: Database, cohort: Cohort, user_id: str, done: int, name: str, now: datetime, *,
                  by_hand: bool) -> int:
    async with db.session() as session:
        return int(await insert_ignore(session, Certificate, {
            "team_id": cohort.team_id, "cohort_id": cohort.id, "user_id": user_id, "code": new_code(),
            "display_name": name[:200], "show_name": True, "chapters_done": done, "by_hand": by_hand,
            "issued_at": now}))


async def send_pending(db: Database, client: AsyncWebClient, cohort_id: int, now: datetime, *,
                       sending: Sending) -> int:
    """DM each live certificate not yet sent (at most `BATCH`); the number of fresh DMs."""
    async with db.session() as session:
        cohort = await get_known(session, Cohort, cohort_id)
        rows = list(await session.scalars(select(Certificate).where(
            Certificate.team_id == cohort.team_id, Certificate.cohort_id == cohort_id,
            Certificate.notified_at.is_(None), Certificate.revoked_at.is_(None)).order_by(Certificate.id).limit(BATCH)))
    if not rows:
        return 0
    book, dates = book_of(cohort), dates_of(cohort)
    facts = [CertificateFacts(name=row.display_name, book=book, cohort=cohort.name, dates=dates,
                              chapters=views.chapters_words(row.chapters_done, cohort.weeks),
                              link=link_for(sending.public_url, row.code)) for row in rows]
    images = await render_certificates(facts)
    sent = 0
    for row, fact, image in zip(rows, facts, images, strict=True):
        payload = views.certificate_dm(book=book, cohort=cohort.name, chapters=fact.chapters, link=fact.link,
                                       command=sending.command,
                                       awarded=row.by_hand and row.chapters_done < chapters.complete_at(cohort))
        posted = await post_once(db, client, team_id=cohort.team_id, key=dm_key(row), channel=row.user_id,
                                 now=now, **payload)
        if posted is not None and posted.fresh:
            channel = await readable_channel(db, client, cohort.team_id, row.user_id)
            await client.files_upload_v2(
                channel=channel, file=image, filename="certificate.png", title=views.certificate_image_title(book),
                alt_txt=views.certificate_alt_text(row.display_name, book, fact.chapters))
            sent += 1
        async with db.session() as session:  # sent, found sent, or no DM reaches them (recorded): done
            await session.execute(update(Certificate).where(Certificate.id == row.id).values(notified_at=now))
    return sent


def dm_key(row: Certificate) -> str:
    return f"certificates:{row.cohort_id}:{row.user_id}:{row.id}"


@dataclass(frozen=True)
class HandIssued:
    user_id: str
    outcome: str  # issued | below-rule | has-one
    done: int
    need: int


async def issue_by_hand(db: Database, client: AsyncWebClient, cohort: Cohort, user_ids: list[str] | None,
                        now: datetime, *, sending: Sending) -> list[HandIssued]:
    """`studybot certificates issue`: to the members named (below the rule too: said so), else to everyone
    meeting the rule now who never had one (the window aside). A named member's revoked certificate is
    replaced by a new one with a new code (the old link stays dead)."""
    need = chapters.complete_at(cohort)
    async with db.session() as session:
        done = {user: len(numbers) for user, numbers in
                (await chapters.chapters_done_by_member(session, cohort)).items()}
        wanted = user_ids if user_ids is not None else sorted(await newly_qualifying(session, cohort))
        live = await _live_holders(session, cohort)
    results = []
    for user_id in wanted:
        count = done.get(user_id, 0)
        if user_id in live:
            results.append(HandIssued(user_id, "has-one", count, need))
            continue
        name = await display_name(client, user_id)
        if name is None:
            raise ValueError(f"Slack doesn't know member {user_id} in this workspace")
        async with db.session() as session:
            await session.execute(delete(Certificate).where(  # a revoked one: its link stays dead
                Certificate.team_id == cohort.team_id, Certificate.cohort_id == cohort.id,
                Certificate.user_id == user_id))
        await _create(db, cohort, user_id, count, name, now, by_hand=count < need)
        results.append(HandIssued(user_id, "issued" if count >= need else "below-rule", count, need))
    await send_pending(db, client, cohort.id, now, sending=sending)
    return results


async def _live_holders(session: AsyncSession, cohort: Cohort) -> set[str]:
    return set(await session.scalars(select(Certificate.user_id).where(
        Certificate.team_id == cohort.team_id, Certificate.cohort_id == cohort.id,
        Certificate.revoked_at.is_(None))))


async def revoke(db: Database, cohort: Cohort, user_ids: list[str], now: datetime) -> dict[str, bool]:
    """Revoke these members' certificates (their pages then 404); user → whether one was live."""
    changed = {}
    async with db.session() as session:
        for user_id in user_ids:
            result = await session.execute(update(Certificate).where(
                Certificate.team_id == cohort.team_id, Certificate.cohort_id == cohort.id,
                Certificate.user_id == user_id, Certificate.revoked_at.is_(None)).values(revoked_at=now))
            changed[user_id] = bool(rowcount(result))
    return changed
