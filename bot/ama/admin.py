"""`/study admin ama …`: the organizer's Slack side of the board: export, a board opened for a later
session, where the top 10 go."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.channel_board import session_of
from bot.ama.export import slack_export
from bot.ama.recording_admin import answered_command
from bot.ama.settings import change_setting
from bot.ama.top import set_top_to
from bot.blocks import slack_date
from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort
from bot.organizers import REFUSAL, OrganizerCheck


async def admin_ama(db: Database, organizers: OrganizerCheck, *, team_id: str, channel_id: str, user_id: str,
                    args: str, now: datetime, command: str, client: AsyncWebClient | None = None) -> dict[str, Any]:
    words = args.split()
    usage = (f"Try `{command} admin ama export [week]`, `{command} admin ama open <week>|next`,"
             f" `{command} admin ama top-to channel|organizers` or `{command} admin ama answered <id> [12:34]`.")
    if words[:1] == ["answered"] and client is not None:  # the question names its cohort
        return {"text": await answered_command(db, client, organizers, team_id=team_id, user_id=user_id,
                                               words=words[1:], now=now, command=command)}
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command,
                                          subcommand="admin ama")
        if not await organizers.allows(team_id, user_id, cohort):
            raise StudyError(REFUSAL)
        if words[:1] == ["export"] and len(words) <= 2:
            if len(words) == 2 and not words[1].isdigit():
                raise StudyError(f"`{words[1][:20]}` is not a week number. {usage}")
            return await slack_export(session, cohort, int(words[1]) if len(words) == 2 else None, now)
        if words[:1] == ["top-to"] and len(words) == 2:
            return {"text": await set_top_to(session, cohort, words[1].lower())}
        if words[:1] == ["open"] and len(words) == 2:
            return {"text": await open_board(session, cohort, words[1].lower(), now, command)}
    raise StudyError(usage)


async def open_board(session: AsyncSession, cohort: Cohort, week: str, now: datetime, command: str) -> str:
    """Questions go to week `week`'s board from now on (`next`: back to the next session's)."""
    if week == "next":
        await change_setting(session, cohort, open_week=None)
        return "Questions go to the next live session's board again."
    if not week.isdigit():
        raise StudyError(f"`{week[:20]}` is not a week number: `{command} admin ama open 5`, or `open next`.")
    session_at = session_of(cohort, int(week), now)
    await change_setting(session, cohort, open_week=int(week))
    return (f"Questions now go to week {week}'s board (session {slack_date(session_at)}) until that session ends;"
            f" `{command} admin ama open next` undoes it.")
