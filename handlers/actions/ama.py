"""The live-session questions' buttons: Upvote (in the thread and on a member's board), the "…" menu
(report, and the organizers' answered / pin / hide / show again), the near-duplicate offer, and
"Ask a question" and the message shortcut "Ask at the live session" (open the form)."""
from __future__ import annotations

from typing import Any

from bot.ama import views
from bot.ama.asking import ask_anyway, open_ask_form, upvote_instead
from bot.ama.member_board import vote_on_board
from bot.ama.moderation import choose
from bot.ama.voting import toggle_vote
from bot.errors import StudyError
from handlers.replies import tell_member


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.action(views.UPVOTE_ACTION)(upvote)
    app.action(views.BOARD_VOTE_ACTION)(upvote_on_board)
    app.action(views.MENU_ACTION)(menu)
    app.action(views.UPVOTE_INSTEAD_ACTION)(offer_choice)
    app.action(views.ASK_ANYWAY_ACTION)(offer_choice)
    app.action(views.OPEN_ASK_ACTION)(open_form)
    app.shortcut(views.ASK_ABOUT_SHORTCUT)(ask_about_message)


def _click(body: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The action, and what makes this click unique (a redelivered one carries the same)."""
    action = body["actions"][0]
    return action, str(action.get("action_ts") or body.get("trigger_id") or "")


async def _tell(body: dict[str, Any], client, respond, text: str) -> None:  # type: ignore[no-untyped-def]
    """Inside a modal, the modal says it; elsewhere an ephemeral reply (or a DM from the App Home)."""
    if body.get("view") and body["view"].get("type") == "modal":
        await client.views_update(view_id=body["view"]["id"], view=views.notice_modal(text))
    else:
        await tell_member(body, client, respond, text)


async def upvote(ack, body, client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    runtime = context["runtime"]
    action, click = _click(body)
    if not str(action.get("value", "")).isdigit():
        return  # not a button we rendered
    try:
        voted = await toggle_vote(runtime.db, client, team_id=context.team_id, user_id=body["user"]["id"],
                                  question_id=int(action["value"]), action_ts=click, now=runtime.clock.now())
    except StudyError as error:
        await _tell(body, client, respond, str(error))
        return
    await _tell(body, client, respond, voted.sentence())


async def upvote_on_board(ack, body, client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    runtime = context["runtime"]
    action, click = _click(body)
    if not str(action.get("value", "")).isdigit():
        return
    try:
        board = await vote_on_board(runtime.db, client, team_id=context.team_id, user_id=body["user"]["id"],
                                    question_id=int(action["value"]), action_ts=click, now=runtime.clock.now(),
                                    command=runtime.settings.command)
    except StudyError as error:
        await _tell(body, client, respond, str(error))
        return
    await respond(response_type="ephemeral", replace_original=True, **board)


async def menu(ack, body, client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    runtime = context["runtime"]
    action, _ = _click(body)
    choice = views.read_menu_choice(str((action.get("selected_option") or {}).get("value", "")))
    if choice is None:
        return
    try:
        outcome = await choose(runtime.db, client, runtime.organizers, team_id=context.team_id,
                               user_id=body["user"]["id"], verb=choice[0], question_id=choice[1],
                               now=runtime.clock.now())
    except StudyError as error:
        await _tell(body, client, respond, str(error))
        return
    if outcome.modal is not None:
        await client.views_open(trigger_id=body["trigger_id"], view=outcome.modal)
    else:
        await _tell(body, client, respond, outcome.sentence or "")


async def offer_choice(ack, body, client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    runtime = context["runtime"]
    action, _ = _click(body)
    choice = views.read_offer_choice(str(action.get("value", "")))
    if choice is None:
        return
    draft_id, similar_id = choice
    common = {"team_id": context.team_id, "user_id": body["user"]["id"], "draft_id": draft_id,
              "now": runtime.clock.now()}
    try:
        if action["action_id"] == views.UPVOTE_INSTEAD_ACTION and similar_id is not None:
            said = await upvote_instead(runtime.db, client, similar_id=similar_id, **common)
        else:
            said = await ask_anyway(runtime.db, client, command=runtime.settings.command, **common)
    except StudyError as error:
        said = str(error)
    if body.get("response_url"):
        await respond(text=said, response_type="ephemeral", replace_original=True)
    else:
        await _tell(body, client, respond, said)


async def open_form(ack, body, client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    await _open_form(body, client, context, respond, about=None)


async def ask_about_message(ack, body, client, context, respond) -> None:  # type: ignore[no-untyped-def]
    await ack()
    await _open_form(body, client, context, respond, about=(body.get("message") or {}).get("text"))


async def _open_form(body, client, context, respond, about: str | None) -> None:  # type: ignore[no-untyped-def]
    runtime = context["runtime"]
    try:
        view = await open_ask_form(runtime.db, team_id=context.team_id, channel_id=(body.get("channel") or {}).get("id"),
                                   user_id=body["user"]["id"], now=runtime.clock.now(),
                                   command=runtime.settings.command, about=about)
    except StudyError as error:
        await _tell(body, client, respond, str(error))
        return
    await client.views_open(trigger_id=body["trigger_id"], view=view)
