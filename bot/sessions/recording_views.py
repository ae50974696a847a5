"""What members see of the sessions' recordings: the post in the week's announcement thread, the line in the
next week's announcement, the App Home's part and `/study recordings`. Nothing here calls Slack."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.blocks import Block, context, counted, escape_mrkdwn, header, link, message, pack_lines, section, slack_date


def render_thread_post(week: int, url: str) -> dict[str, Any]:
    """The recording, in reply to week `week`'s announcement."""
    text = f"The recording of week {week}'s live session is up"
    return message(f"{text}: {url}", [section(f":movie_camera: {text}: {link(url, 'watch it here')}")])


def last_weeks_block(week: int, url: str) -> Block:
    """The line the next week's announcement carries."""
    label = f"week {week}'s live session"
    return context(f":movie_camera: Last week's recording: {link(url, label)}")


def home_blocks(week: int, url: str) -> list[Block]:
    label = f"Watch week {week}'s session"
    return [section(f":movie_camera: Missed it? {link(url, label)}")]


def render_recordings(cohort_name: str, rows: Sequence[tuple[int, str, datetime | None]],
                      command: str) -> dict[str, Any]:
    """`/study recordings`: every week's recording, oldest first (week, URL, when the session was)."""
    title = f"Recordings of {cohort_name}'s live sessions"
    if not rows:
        return message(title, [section(f"*{escape_mrkdwn(title)}*\nNo recording yet: they appear here, in the week's"
                                       " announcement thread and on your Home once an organizer adds them.")])
    lines = [f"• {link(url, f'Week {week}')}" + (f" — session {slack_date(at)}" if at else "")
             for week, url, at in rows]
    return message(title, [header(title[:150]), *[section(chunk) for chunk in pack_lines(lines)],
                           context(f"{counted(len(rows), 'recording')} · `{command} help` for the rest")])


def saved_sentence(cohort_name: str, week: int, replaced: str | None, where: str) -> str:
    """What the organizer is told (CLI or Slack) once the recording is stored."""
    if replaced is None:
        return f"{cohort_name}: week {week}'s recording is saved; {where}."
    if replaced:
        return f"{cohort_name}: week {week}'s recording now points to the new link (it replaced {replaced}); {where}."
    return f"{cohort_name}: week {week}'s recording was already that link; nothing changed."
