"""Buttons of study buddies: "Find me a study buddy" (Home, planning DM), the check-in's answers, and the private
offers' "Find me a new buddy" / "Keep my buddy" / "No thanks"."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.buddies import views
from bot.buddies.checkins import answer_check_in
from bot.buddies.optin import keep_buddy, new_buddy, no_thanks, opt_in_button
from bot.runtime import Runtime
from handlers.requests import ActionRequest, action


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.action(views.OPT_IN_ACTION)(ask_for_buddy)
    for action_id in views.CHECKIN_ACTIONS.values():
        app.action(action_id)(check_in)
    app.action(views.NEW_BUDDY_ACTION)(find_new_buddy)
    app.action(views.KEEP_BUDDY_ACTION)(keep)
    app.action(views.NO_THANKS_ACTION)(decline)


@action()
async def ask_for_buddy(request: ActionRequest) -> None:
    await request.tell(await opt_in_button(request.runtime.db, request.team_id, request.value, request.user_id,
                                           request.runtime.settings.command))


@action()
async def check_in(request: ActionRequest) -> None:
    await request.tell(await answer_check_in(request.runtime.db, request.team_id, request.action["action_id"],
                                             request.value, request.user_id, request.now))


@action()
async def find_new_buddy(request: ActionRequest) -> None:
    await request.tell(await new_buddy(request.runtime.db, request.client, request.team_id, request.value,
                                       request.user_id, request.runtime.settings.command))


@action()
async def keep(request: ActionRequest) -> None:
    await request.tell(await keep_buddy(request.value))


@action()
async def decline(request: ActionRequest) -> None:
    await request.tell(await no_thanks(request.runtime.db, request.team_id, request.value,
                                       request.runtime.settings.command))
