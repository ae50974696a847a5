"""`/study calendar [reset]`: a member's private feed URL, and a new one when they ask."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.feeds import views
from bot.feeds.tokens import feed_urls, issue


async def calendar_command(db: Database, team_id: str, channel_id: str, user_id: str, args: str, now: datetime,
                           *, command: str, public_url: str | None) -> dict[str, Any] | str:
    """The reply: the member's URL (made now), when they got it (asked again), or what the operator must set."""
    choice = args.strip().lower()
    if choice not in ("", "reset"):
        raise StudyError(views.usage(command))
    if public_url is None:
        return views.NEEDS_PUBLIC_URL
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command,
                                          subcommand="calendar")
        issued = await issue(session, team_id, cohort.id, user_id, now, replace=choice == "reset")
        name = cohort.name
    if issued.token is None:
        return views.member_feed_exists(name, issued.created_at, command)
    https_url, webcal_url = feed_urls(public_url, issued.token)
    return views.member_feed(name, https_url, webcal_url, reset=issued.replaced, command=command)
