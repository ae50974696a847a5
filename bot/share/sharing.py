"""`/study share`: the modal's choices, and a submission posted to the share channel and recorded.

Attribution is "Shared by @member" in the message itself. Posting under the
member's name and avatar (``username``/``icon_url``) would need the extra
``chat:write.customize`` scope and makes bot posts look like a person's; a
mention is clearer and links to their profile.
"""
from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import MAX_SELECT_OPTIONS, escape_mrkdwn
from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.models import Chapter, Cohort
from bot.outbound import post_once
from bot.share.catchup import SHARE_KEY_PREFIX
from bot.share.form import validate_share_form
from bot.share.store import record_post, version_of
from bot.share.tallies import recount
from bot.share.views import TITLE_BLOCK, render_share_modal, render_shared_post, share_modal_metadata

log = logging.getLogger(__name__)

NO_COHORT = "I couldn't tell which study group this is for. Please run this in your cohort's channel."
POST_FAILED = ("Sorry — I couldn't post to the share channel just now. "
               "Your text is still here: please press Share again.")
NOT_IN_CHANNEL = ("I'm not a member of the share channel yet, so I can't post there. "
                  "Please ask an organizer to invite me, then press Share again.")


def no_share_channel(cohort: Cohort) -> str:
    return (f'Cohort "{cohort.name}" has no share channel yet, so there is nowhere to share to. '
            "An organizer can set one with --share-channel.")


class ShareRefused(StudyError):
    """A submission that was not posted: the sentence, and ``fields`` keyed by the modal's block ids.

    Problems with the form itself name their fields; any other reason sits on the
    title field, so the open modal shows it above what the member typed.
    """

    def __init__(self, message: str, fields: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.fields = dict(fields) if fields else {TITLE_BLOCK: message}


@dataclass(frozen=True)
class Shared:
    """Where a submission was posted (``ts`` None when another request is posting it right now)."""

    channel_id: str
    ts: str | None = None


async def share_modal(db: Database, *, team_id: str, channel_id: str, user_id: str, command: str) -> dict[str, Any]:
    """The share modal for the cohort this request means; StudyError when there is nowhere to share to."""
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command, subcommand="share")
        if not cohort.share_channel_id:
            raise StudyError(no_share_channel(cohort))
        chapters = await chapter_choices(session, cohort)
    return render_share_modal(chapters, private_metadata=share_modal_metadata(cohort.id))


async def chapter_choices(session: AsyncSession, cohort: Cohort) -> list[tuple[int, str]]:
    rows = await session.execute(
        select(Chapter.number, Chapter.title).where(Chapter.cohort_id == cohort.id).order_by(Chapter.number)
    )
    return [(number, title) for number, title in rows][:MAX_SELECT_OPTIONS]


async def share_work(
    db: Database,
    client: AsyncWebClient,
    *,
    team_id: str,
    cohort_id: int | None,
    user_id: str,
    values: Mapping[str, str | None],
    view_id: str,
    now: datetime,
) -> Shared:
    """Validate, post to the share channel, record as the member's post.

    Raises ShareRefused, leaving nothing changed, so the modal stays open as typed.
    """
    async with db.session() as session:
        cohort = await session.get(Cohort, cohort_id) if cohort_id is not None else None
        if cohort is None or cohort.team_id != team_id:
            raise ShareRefused(NO_COHORT)
        if not cohort.share_channel_id:
            raise ShareRefused(no_share_channel(cohort))
        chapters = dict(await chapter_choices(session, cohort))
    form, errors = validate_share_form(values, set(chapters) or None)
    if form is None:
        raise ShareRefused(" ".join(errors.values()), errors)
    label = f"Chapter {form.chapter}: {chapters[form.chapter]}" if form.chapter in chapters else None
    message = render_shared_post(form.title, form.link, form.notes, label, user_id)
    try:
        posted = await post_once(db, client, team_id=team_id, key=f"{SHARE_KEY_PREFIX}{user_id}:{view_id}",
                                 channel=cohort.share_channel_id, text=message["text"], blocks=message["blocks"],
                                 now=now)
    except SlackApiError as error:
        code = error.response.get("error")
        log.warning("share post to %s failed: %s", cohort.share_channel_id, code)
        raise ShareRefused(NOT_IN_CHANNEL if code == "not_in_channel" else POST_FAILED) from None
    if posted is None:  # the same submission is being posted by another request right now
        return Shared(cohort.share_channel_id)
    async with db.session() as session:
        await record_post(
            session, cohort, channel_id=cohort.share_channel_id, ts=posted.ts, user_id=user_id,
            text=escape_mrkdwn(form.notes), links=[form.link] if form.link else [], title=form.title,
            version=version_of(posted.ts), source="form", now=now,
        )
        await recount(session, team_id, cohort.share_channel_id, [posted.ts])  # reactions may have come first
    return Shared(cohort.share_channel_id, posted.ts)
