"""The live session's buttons: "I'll be there" (a toggle, counted once per member and week), and the
Join / Add to Google Calendar link buttons (Slack opens the link; the click only needs its ack)."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.runtime import Runtime
from bot.sessions import views
from bot.sessions.rsvp import toggle_rsvp
from handlers.requests import ActionRequest, action


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.action(views.RSVP_ACTION)(rsvp)
    app.action(views.JOIN_ACTION)(opened_link)
    app.action(views.CALENDAR_ACTION)(opened_link)


@action()
async def rsvp(request: ActionRequest) -> None:
    target = views.read_rsvp_value(request.value)
    if target is None:
        return  # not a button we rendered
    cohort_id, week = target
    click = str(request.action.get("action_ts") or request.body.get("trigger_id") or "")
    done = await toggle_rsvp(request.runtime.db, request.client, team_id=request.team_id, user_id=request.user_id,
                             cohort_id=cohort_id, week=week, action_ts=click, now=request.now)
    await request.tell(done.sentence())


@action()
async def opened_link(request: ActionRequest) -> None:
    """A link button: Slack opened the URL in the member's browser; nothing to do."""
