"""The forget-me confirmation buttons: forget the member who clicked, in the workspace they clicked from."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.privacy.forget import forget_member
from bot.privacy.views import FORGET_CANCEL_ACTION, FORGET_CANCELLED, FORGET_CONFIRM_ACTION, render_forgotten
from bot.runtime import Runtime
from handlers.requests import ActionRequest, action


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.action(FORGET_CONFIRM_ACTION)(confirm)
    app.action(FORGET_CANCEL_ACTION)(cancel)


@action()
async def confirm(request: ActionRequest) -> None:
    forgotten = await forget_member(request.runtime.db, request.team_id, request.user_id, request.now)
    await request.update(render_forgotten(forgotten))


@action()
async def cancel(request: ActionRequest) -> None:
    await request.update(FORGET_CANCELLED)
