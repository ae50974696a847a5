"""The forget-me confirmation buttons: forget the member who clicked, in the workspace they clicked from."""
from __future__ import annotations

from bot.privacy.forget import forget_member
from bot.privacy.views import FORGET_CANCEL_ACTION, FORGET_CANCELLED, FORGET_CONFIRM_ACTION, render_forgotten


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.action(FORGET_CONFIRM_ACTION)(confirm)
    app.action(FORGET_CANCEL_ACTION)(cancel)


async def confirm(ack, body, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    runtime = context["runtime"]
    forgotten = await forget_member(runtime.db, context.team_id or "", body["user"]["id"], runtime.clock.now())
    await respond(text=render_forgotten(forgotten), response_type="ephemeral", replace_original=True)


async def cancel(ack, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    await respond(text=FORGET_CANCELLED, response_type="ephemeral", replace_original=True)
