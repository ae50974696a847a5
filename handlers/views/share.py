"""The share-your-work modal's submission: a refusal keeps the modal open as typed; success posts and closes it.

Posting happens before the ack so a refusal can still be shown on the open modal —
but only within `ACK_BUDGET_SECONDS`: Slack drops a view submission not acked in
3 s. When posting takes longer (rate limits), the modal closes and the post
finishes after the ack; if it then fails, the member gets a DM with what they
wrote, so nothing is lost.
"""
from __future__ import annotations

from collections.abc import Mapping

from slack_bolt.async_app import AsyncApp

from bot.errors import StudyError
from bot.runtime import Runtime
from bot.share.sharing import ShareRefused, share_work
from bot.share.views import (
    SHARE_CALLBACK_ID,
    TITLE_BLOCK,
    read_share_modal_cohort,
    read_share_modal_values,
    render_share_failed,
)
from handlers.requests import ViewSubmission, submission

ACK_BUDGET_SECONDS = 2.0


def register(app: AsyncApp, runtime: Runtime) -> None:
    app.view(SHARE_CALLBACK_ID)(submit_share)


def _refused_fields(error: StudyError) -> Mapping[str, str]:
    return error.fields if isinstance(error, ShareRefused) else {TITLE_BLOCK: str(error)}


@submission(refusal=_refused_fields)
async def submit_share(submitted: ViewSubmission) -> None:
    values = read_share_modal_values(submitted.values)
    work = share_work(submitted.runtime.db, submitted.client, team_id=submitted.team_id,
                      cohort_id=read_share_modal_cohort(submitted.private_metadata), user_id=submitted.user_id,
                      values=values, view_id=submitted.view.get("id", ""), now=submitted.now)
    try:
        await submitted.in_time(work, ACK_BUDGET_SECONDS)
    except ShareRefused as refusal:
        if not submitted.acked:
            raise
        await submitted.tell(**render_share_failed(str(refusal), values))  # too late for the modal: by DM
        return
    await submitted.close()
