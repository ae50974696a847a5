"""The live-session questions' forms: asking (with "ask anonymously") and an organizer's reason for hiding.

A refusal keeps the form open with the sentence under the field. The work runs
before the ack only within `ACK_BUDGET_SECONDS` (Slack drops a submission not
acked in 3 s); when posting is slower, the form closes and the work finishes after
— the question is stored by then, so nothing written is lost.
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from bot.ama import views
from bot.ama.asking import ask
from bot.ama.moderation import hide
from bot.errors import StudyError

ACK_BUDGET_SECONDS = 2.0


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.view(views.ASK_CALLBACK)(submit_question)
    app.view(views.HIDE_CALLBACK)(submit_hide)


async def _within_budget(ack, work: Awaitable[Any], field: str, done) -> None:  # type: ignore[no-untyped-def]
    task = asyncio.ensure_future(work)
    try:
        result = await asyncio.wait_for(asyncio.shield(task), ACK_BUDGET_SECONDS)
    except StudyError as error:
        await ack(response_action="errors", errors={field: str(error)})
        return
    except TimeoutError:
        await ack()
        await task
        return
    await ack(**done(result))


async def submit_question(ack, body: dict[str, Any], view: dict[str, Any], client, context) -> None:  # type: ignore[no-untyped-def]
    runtime = context["runtime"]
    text, anonymous = views.read_ask_modal((view.get("state") or {}).get("values") or {})
    work = ask(runtime.db, client, team_id=context.team_id, channel_id=None, user_id=body["user"]["id"],
               text=text, anonymous=anonymous, now=runtime.clock.now(), command=runtime.settings.command,
               cohort_id=views.read_cohort_id(view.get("private_metadata", "")))
    await _within_budget(ack, work, views.QUESTION_BLOCK,
                         lambda asked: {"response_action": "update", "view": asked.modal})


async def submit_hide(ack, body: dict[str, Any], view: dict[str, Any], client, context) -> None:  # type: ignore[no-untyped-def]
    runtime = context["runtime"]
    question_id, reason = views.read_hide_modal(view.get("private_metadata", ""),
                                                (view.get("state") or {}).get("values") or {})
    if question_id is None:
        await ack()
        return
    work = hide(runtime.db, client, runtime.organizers, team_id=context.team_id, user_id=body["user"]["id"],
                question_id=question_id, reason=reason, now=runtime.clock.now())
    await _within_budget(ack, work, views.REASON_BLOCK, lambda _: {})
