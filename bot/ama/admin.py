"""`/study admin ama …`: the organizer's Slack side of the board (export, where the top 10 go)."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.ama.export import slack_export
from bot.ama.top import set_top_to
from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.organizers import REFUSAL, OrganizerCheck


async def admin_ama(db: Database, organizers: OrganizerCheck, *, team_id: str, channel_id: str, user_id: str,
                    args: str, now: datetime, command: str) -> dict[str, Any]:
    words = args.split()
    usage = f"Try `{command} admin ama export [week]` or `{command} admin ama top-to channel|organizers`."
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
    raise StudyError(usage)
