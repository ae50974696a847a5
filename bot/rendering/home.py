"""The App Home tab: where a member lands when they open the bot."""
from __future__ import annotations

from collections.abc import Sequence


def render_home(command: str, sections: Sequence[dict] = ()) -> dict:
    """A Home view; features add their own section blocks (progress, group, …)."""
    blocks: list[dict] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Welcome to the study group"}},
        {"type": "section", "text": {"type": "mrkdwn", "text": (
            "One chapter a week, together. Read the chapter, run the notebook, answer the questionnaire, "
            f"and share what you build. Type `{command} help` in any channel to see everything I can do."
        )}},
        *sections,
    ]
    return {"type": "home", "blocks": blocks[:100]}
