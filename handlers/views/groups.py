"""The meeting-preferences modal's submission."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.groups.membership import save_preferences
from bot.groups.views import PREFERENCES_VIEW
from bot.runtime import Runtime
from handlers.requests import ViewSubmission, submission


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.view(PREFERENCES_VIEW)(save_preferences_submitted)


@submission()
async def save_preferences_submitted(submitted: ViewSubmission) -> None:
    runtime = submitted.runtime
    errors = await save_preferences(runtime.db, submitted.team_id, submitted.view, submitted.user_id,
                                    runtime.settings.command)
    if errors is None:
        await submitted.close()
    else:
        await submitted.refuse(errors)
