"""Saving the private-answer modal: store the answers; the prompts' counts follow via the flush job."""
from __future__ import annotations

import json

from bot.questionnaire.answers import prompt_ids, save_private_answers
from bot.questionnaire.counts import mark_dirty
from bot.questionnaire.member import team_of
from bot.questionnaire.views import (
    ANSWER_INPUT,
    PRIVATE_ANSWERS_VIEW,
    render_private_saved,
)


def register(app, runtime) -> None:  # type: ignore[no-untyped-def]
    app.view(PRIVATE_ANSWERS_VIEW)(save_answers)


async def save_answers(ack, body, view, client, context) -> None:  # type: ignore[no-untyped-def]
    runtime = context["runtime"]
    meta = json.loads(view.get("private_metadata") or "{}")
    cohort_id, chapter = int(meta["cohort"]), int(meta["chapter"])
    texts = {
        int(block_id[1:]): (values.get(ANSWER_INPUT) or {}).get("value") or ""
        for block_id, values in view["state"]["values"].items()
        if block_id.startswith("q") and block_id[1:].isdigit()
    }
    now = runtime.clock.now()
    saved, changed = await save_private_answers(
        runtime.db, team_id=team_of(body), cohort_id=cohort_id, chapter=chapter,
        user_id=body["user"]["id"], texts=texts, now=now,
    )
    await ack(response_action="update", view=render_private_saved(chapter, saved, runtime.settings.command))
    async with runtime.db.session() as session:
        changed_prompts = await prompt_ids(session, cohort_id, chapter, changed)
    await mark_dirty(runtime.db, changed_prompts)  # shown by the flush job within a minute or so
