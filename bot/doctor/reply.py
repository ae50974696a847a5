"""`/study admin doctor`: the doctor for the cohort the request means, for its organizers."""
from __future__ import annotations

from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.database import Database
from bot.doctor.checks import run_doctor
from bot.doctor.views import render_doctor
from bot.organizers import OrganizerCheck
from bot.rhythm.steering import organizer_cohort


async def doctor_reply(db: Database, client: AsyncWebClient, *, organizers: OrganizerCheck, team_id: str,
                       user_id: str, channel_id: str, command: str) -> dict[str, Any]:
    cohort = await organizer_cohort(db, organizers=organizers, team_id=team_id, user_id=user_id,
                                    channel_id=channel_id, command=command, subcommand="admin doctor")
    checks = await run_doctor(db, client, db.clock.now(), cohorts=[cohort])
    return render_doctor(checks)
