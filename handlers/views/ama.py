"""The live-session questions' forms: asking (with "ask anonymously") and an organizer's reason for hiding.

A refusal keeps the form open with the sentence under the field. The work runs
before the ack only within `ACK_BUDGET_SECONDS` (Slack drops a submission not
acked in 3 s); when posting is slower, the form closes and the work finishes after
— the question is stored by then, so nothing written is lost.
"""
from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from bot.ama import views
from bot.ama.asking import ask
from bot.ama.moderation import hide
from bot.ama.recording_admin import mark_answered
from bot.ama.recording_views import ANSWERED_CALLBACK, MOMENT_BLOCK, read_answered_modal
from bot.runtime import Runtime
from handlers.requests import ViewSubmission, submission, under

ACK_BUDGET_SECONDS = 2.0


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.view(views.ASK_CALLBACK)(submit_question)
    app.view(views.HIDE_CALLBACK)(submit_hide)
    app.view(ANSWERED_CALLBACK)(submit_answered)


@submission(refusal=under(views.QUESTION_BLOCK))
async def submit_question(submitted: ViewSubmission) -> None:
    runtime = submitted.runtime
    text, anonymous = views.read_ask_modal(submitted.values)
    asked = await submitted.in_time(ask(
        runtime.db, submitted.client, team_id=submitted.team_id, channel_id=None, user_id=submitted.user_id,
        text=text, anonymous=anonymous, now=submitted.now, command=runtime.settings.command,
        cohort_id=views.read_cohort_id(submitted.private_metadata)), ACK_BUDGET_SECONDS)
    await submitted.show(asked.modal)


@submission(refusal=under(views.REASON_BLOCK))
async def submit_hide(submitted: ViewSubmission) -> None:
    runtime = submitted.runtime
    question_id, reason = views.read_hide_modal(submitted.private_metadata, submitted.values)
    if question_id is not None:
        await submitted.in_time(hide(runtime.db, submitted.client, runtime.organizers, team_id=submitted.team_id,
                                     user_id=submitted.user_id, question_id=question_id, reason=reason,
                                     now=submitted.now), ACK_BUDGET_SECONDS)
    await submitted.close()


@submission(refusal=under(MOMENT_BLOCK))
async def submit_answered(submitted: ViewSubmission) -> None:
    """"Mark answered…": the question answered, at the moment of the recording given (optional)."""
    runtime = submitted.runtime
    question_id, moment = read_answered_modal(submitted.private_metadata, submitted.values)
    if question_id is None:
        return await submitted.close()
    said = await submitted.in_time(mark_answered(runtime.db, submitted.client, runtime.organizers,
                                                 team_id=submitted.team_id, user_id=submitted.user_id,
                                                 question_id=question_id, moment=moment, now=submitted.now),
                                   ACK_BUDGET_SECONDS)
    await submitted.show(views.notice_modal(said))
