"""The live-session questions' buttons: Upvote (in the thread and on a member's board), the "…" menu
(report, and the organizers' answered / pin / hide / show again), the near-duplicate offer, and
"Ask a question" and the message shortcut "Ask at the live session" (open the form)."""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.ama import views
from bot.ama.asking import ask_anyway, open_ask_form, upvote_instead
from bot.ama.member_board import vote_on_board
from bot.ama.moderation import choose
from bot.ama.voting import toggle_vote
from bot.runtime import Runtime
from handlers.requests import ActionRequest, action


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.action(views.UPVOTE_ACTION)(upvote)
    app.action(views.BOARD_VOTE_ACTION)(upvote_on_board)
    app.action(views.MENU_ACTION)(menu)
    app.action(views.UPVOTE_INSTEAD_ACTION)(offer_choice)
    app.action(views.ASK_ANYWAY_ACTION)(offer_choice)
    app.action(views.OPEN_ASK_ACTION)(open_form)
    app.shortcut(views.ASK_ABOUT_SHORTCUT)(ask_about_message)


def _click_id(request: ActionRequest) -> str:
    """What makes this click unique (a redelivered one carries the same)."""
    return str(request.action.get("action_ts") or request.body.get("trigger_id") or "")


async def _tell(request: ActionRequest, text: str) -> None:
    """Inside a modal, the modal says it; elsewhere an ephemeral reply (or a DM from the App Home)."""
    view = request.body.get("view")
    if view and view.get("type") == "modal":
        await request.client.views_update(view_id=view["id"], view=views.notice_modal(text))
    else:
        await request.tell(text)


@action(on_error=_tell)
async def upvote(request: ActionRequest) -> None:
    if not request.value.isdigit():
        return  # not a button we rendered
    runtime = request.runtime
    voted = await toggle_vote(runtime.db, request.client, team_id=request.team_id, user_id=request.user_id,
                              question_id=int(request.value), action_ts=_click_id(request), now=request.now)
    await _tell(request, voted.sentence())


@action(on_error=_tell)
async def upvote_on_board(request: ActionRequest) -> None:
    if not request.value.isdigit():
        return
    runtime = request.runtime
    board = await vote_on_board(runtime.db, request.client, team_id=request.team_id, user_id=request.user_id,
                                question_id=int(request.value), action_ts=_click_id(request), now=request.now,
                                command=runtime.settings.command)
    await request.update(**board)


@action(on_error=_tell)
async def menu(request: ActionRequest) -> None:
    choice = views.read_menu_choice(str((request.action.get("selected_option") or {}).get("value", "")))
    if choice is None:
        return
    runtime = request.runtime
    outcome = await choose(runtime.db, request.client, runtime.organizers, team_id=request.team_id,
                           user_id=request.user_id, verb=choice[0], question_id=choice[1], now=request.now)
    if outcome.modal is not None:
        await request.open(outcome.modal)
    else:
        await _tell(request, outcome.sentence or "")


async def _say_choice(request: ActionRequest, said: str) -> None:
    """The offer's own message becomes the answer; without one (the App Home), told as anywhere else."""
    if request.body.get("response_url"):
        await request.update(said)
    else:
        await _tell(request, said)


@action(on_error=_say_choice)
async def offer_choice(request: ActionRequest) -> None:
    choice = views.read_offer_choice(request.value)
    if choice is None:
        return
    draft_id, similar_id = choice
    runtime, client = request.runtime, request.client
    if request.action["action_id"] == views.UPVOTE_INSTEAD_ACTION and similar_id is not None:
        said = await upvote_instead(runtime.db, client, team_id=request.team_id, user_id=request.user_id,
                                    draft_id=draft_id, now=request.now, similar_id=similar_id)
    else:
        said = await ask_anyway(runtime.db, client, team_id=request.team_id, user_id=request.user_id,
                                draft_id=draft_id, now=request.now, command=runtime.settings.command)
    await _say_choice(request, said)


@action(on_error=_tell)
async def open_form(request: ActionRequest) -> None:
    await _open_form(request, about=None)


@action(on_error=_tell)
async def ask_about_message(request: ActionRequest) -> None:
    await _open_form(request, about=(request.body.get("message") or {}).get("text"))


async def _open_form(request: ActionRequest, about: str | None) -> None:
    runtime, channel = request.runtime, request.body.get("channel") or {}
    view = await open_ask_form(runtime.db, team_id=request.team_id, channel_id=channel.get("id"),
                               user_id=request.user_id, now=request.now, command=runtime.settings.command, about=about)
    await request.open(view)
