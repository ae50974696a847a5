"""Messages of the answers found in the recording: the organizer's "Mark answered" form with the moment in
the recording, and the DM that takes askers and upvoters to that moment. Nothing here calls Slack."""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.blocks import context, escape_mrkdwn, link, message, plain_text, section, shorten_mrkdwn

ANSWERED_CALLBACK = "ama_answered"
MOMENT_BLOCK, MOMENT_INPUT = "ama_moment", "ama_moment_text"


def answered_modal(question_id: int, question: str, current: str | None) -> dict[str, Any]:
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": MOMENT_INPUT, "max_length": 10,
                               "placeholder": plain_text("12:34 or 1:02:03")}
    if current:
        element["initial_value"] = current
    return {
        "type": "modal", "callback_id": ANSWERED_CALLBACK, "private_metadata": str(question_id),
        "title": plain_text("Mark answered"), "submit": plain_text("Save"), "close": plain_text("Cancel"),
        "blocks": [
            section(shorten_mrkdwn(escape_mrkdwn(question), 2900)),
            {"type": "input", "block_id": MOMENT_BLOCK, "optional": True,
             "label": plain_text("Where in the recording (optional)"), "element": element,
             "hint": plain_text("Once the week's recording is added, the asker and everyone who upvoted get a"
                                " link to this moment.")},
        ],
    }


def read_answered_modal(private_metadata: str,
                        values: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> tuple[int | None, str]:
    moment = ((values.get(MOMENT_BLOCK) or {}).get(MOMENT_INPUT) or {}).get("value") or ""
    return (int(private_metadata) if private_metadata.isdigit() else None), moment


def render_answer_dm(*, question: str, week: int, asked: bool, url: str, exact: bool, moment: str) -> dict[str, Any]:
    """To the asker (`asked`) or an upvoter: the question, and the recording at the moment it was answered."""
    whose = "Your question" if asked else "A question you upvoted"
    text = f"{whose} was answered in week {week}'s live session, at {moment} in the recording"
    quoted = "\n".join(f">{line}" for line in shorten_mrkdwn(escape_mrkdwn(question.strip()), 1500).splitlines())
    watch = (link(url, f"Watch the answer (from {moment})") if exact
             else f"{link(url, 'Open the recording')} — the answer is at {moment}.")
    return message(text, [section(f"{whose} was answered in week {week}'s live session:\n{quoted}"),
                          section(f":movie_camera: {watch}"),
                          context("Only you get this message.")])
