"""The share-your-work modal's submission: a refusal keeps the modal open as typed; success posts and closes it.

Posting happens before the ack so a refusal can still be shown on the open modal —
but only within `ACK_BUDGET_SECONDS`: Slack drops a view submission not acked in
3 s. When posting takes longer (rate limits), the modal closes and the post
finishes after the ack; if it then fails, the member gets a DM with what they
wrote, so nothing is lost.
"""
from __future__ import annotations

import asyncio
from typing import Any

from bot.share.sharing import ShareRefused, share_work
from bot.share.views import SHARE_CALLBACK_ID, read_share_modal_cohort, read_share_modal_values, render_share_failed

ACK_BUDGET_SECONDS = 2.0


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.view(SHARE_CALLBACK_ID)(submit_share)


async def submit_share(ack, body: dict[str, Any], view: dict[str, Any], client, context) -> None:  # type: ignore[no-untyped-def]
    runtime = context["runtime"]
    user_id = (body.get("user") or {}).get("id", "")
    values = read_share_modal_values((view.get("state") or {}).get("values") or {})
    work = asyncio.ensure_future(share_work(
        runtime.db, client,
        team_id=context.team_id or "",
        cohort_id=read_share_modal_cohort(view.get("private_metadata", "")),
        user_id=user_id,
        values=values,
        view_id=view.get("id", ""),
        now=runtime.clock.now(),
    ))
    try:
        await asyncio.wait_for(asyncio.shield(work), ACK_BUDGET_SECONDS)
    except TimeoutError:
        await ack()
        try:
            await work
        except ShareRefused as refusal:
            await client.chat_postMessage(channel=user_id, **render_share_failed(str(refusal), values))
        return
    except ShareRefused as refusal:
        await ack(response_action="errors", errors=refusal.fields)
        return
    await ack()
