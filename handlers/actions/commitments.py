"""Commitments: a day picked in the menu (planning DM, App Home, `/study commit`); the answer to "Did you make it?"."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.commitments import views
from bot.commitments.commit import commit_from_menu
from bot.commitments.deadline import answer_ask
from bot.runtime import Runtime
from handlers.requests import ActionRequest, action


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.action(views.DAY_ACTION)(pick_day)
    for action_id in views.ANSWER_ACTIONS:
        app.action(action_id)(answer)


@action()
async def pick_day(request: ActionRequest) -> None:
    picked = str((request.action.get("selected_option") or {}).get("value", ""))
    await request.tell(await commit_from_menu(request.runtime.db, request.team_id, picked, request.user_id,
                                              request.now))


@action()
async def answer(request: ActionRequest) -> None:
    """The DM's buttons give way to a warm line (the same message, updated)."""
    shown = await answer_ask(request.runtime.db, request.team_id, request.action["action_id"], request.value,
                             request.user_id, request.now)
    container = request.body.get("container") or {}
    if container.get("channel_id") and container.get("message_ts"):
        await request.client.chat_update(channel=container["channel_id"], ts=container["message_ts"], **shown)
    else:
        await request.tell(shown["text"])
