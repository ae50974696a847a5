"""`/study admin doctor`: the doctor for the cohort the request means, for its organizers."""
from __future__ import annotations

from typing import Any

from bot.doctor.checks import run_doctor
from bot.doctor.views import render_doctor
from bot.rhythm.steering import organizer_cohort
from bot.runtime import Runtime


async def doctor_reply(runtime: Runtime, *, team_id: str, user_id: str, channel_id: str,
                       command: str) -> dict[str, Any]:
    cohort = await organizer_cohort(runtime, team_id=team_id, user_id=user_id, channel_id=channel_id,
                                    command=command, subcommand="admin doctor")
    checks = await run_doctor(runtime.db, runtime.client_for(team_id), runtime.clock.now(), cohorts=[cohort])
    return render_doctor(checks)
