"""The live session's parts of other messages (Join, Add to Google Calendar, "I'll be there" and its count),
the channel notice of a moved or cancelled session, the Home's "Next live session" and organizers' replies."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.blocks import Block, button, context, counted, link, message, section, slack_date

JOIN_ACTION = "session_join"
CALENDAR_ACTION = "session_add_to_calendar"
RSVP_ACTION = "session_rsvp"
ACTIONS_BLOCK = "session_actions"
COUNT_BLOCK = "session_rsvp_count"


def rsvp_value(cohort_id: int, week: int) -> str:
    return f"{cohort_id}:{week}"


def read_rsvp_value(value: str) -> tuple[int, int] | None:
    """(cohort id, week) from an RSVP button's value; None for a value we did not render."""
    cohort, _, week = value.partition(":")
    return (int(cohort), int(week)) if cohort.isdigit() and week.isdigit() else None


def count_line(count: int) -> str:
    if count == 0:
        return "Nobody has said they'll be there yet."
    return f":raising_hand: {counted(count, 'member')} will be there."


def session_blocks(*, cohort_id: int, week: int, join_url: str | None, calendar_url: str | None,
                   rsvp_count: int | None) -> list[Block]:
    """The buttons under an announcement or reminder: [I'll be there] (with the count under it, when
    `rsvp_count` is given), [Join], [Add to Google Calendar] — each only when it applies."""
    elements: list[Block] = []
    if rsvp_count is not None:
        elements.append(button("I'll be there", RSVP_ACTION, value=rsvp_value(cohort_id, week), style="primary"))
    if join_url:
        elements.append(button("Join", JOIN_ACTION, url=join_url))
    if calendar_url:
        elements.append(button("Add to Google Calendar", CALENDAR_ACTION, url=calendar_url))
    if not elements:
        return []
    blocks: list[Block] = [{"type": "actions", "block_id": ACTIONS_BLOCK, "elements": elements}]
    if rsvp_count is not None:
        blocks.append({**context(count_line(rsvp_count)), "block_id": COUNT_BLOCK})
    return blocks


def with_blocks(payload: dict[str, Any], extra: list[Block]) -> dict[str, Any]:
    return {**payload, "blocks": [*payload.get("blocks", []), *extra]}


def with_count(blocks: list[Block], count: int) -> list[Block]:
    """A message's blocks with its RSVP count replaced (the rest exactly as posted)."""
    return [{**context(count_line(count)), "block_id": COUNT_BLOCK} if block.get("block_id") == COUNT_BLOCK
            else block for block in blocks]


def calendar_title(cohort_name: str, week: int, chapter_label: str) -> str:
    return f"{cohort_name} · live session, week {week}: {chapter_label}"


def calendar_details(join_url: str | None, chapter_links: list[tuple[str, str]]) -> str:
    lines = ([f"Join: {join_url}"] if join_url else []) + [f"{label}: {url}" for label, url in chapter_links]
    return "\n".join(lines)


def render_notice(*, week: int, starts_at: datetime, cancelled: bool, join_url: str | None) -> dict[str, Any]:
    """The one channel message saying week `week`'s session moved, is cancelled or is back on."""
    if cancelled:
        text = (f":no_entry_sign: *Week {week}'s live session is cancelled* (it was due {slack_date(starts_at)})."
                " No reminders will go out for it.")
        return message(f"Week {week}'s live session is cancelled.", [section(text)])
    text = (f":calendar: *Week {week}'s live session is now {slack_date(starts_at)}* (shown in your time zone)."
            " Reminders go out 24 hours and 1 hour before.")
    if join_url:
        text += f"\nJoin here: {link(join_url, join_url)}"
    return message(f"Week {week}'s live session is now {slack_date(starts_at)}.", [section(text)])


def home_blocks(*, cohort_id: int, week: int, starts_at: datetime, join_url: str | None, calendar_url: str,
                this_week: bool) -> list[Block]:
    """The Home's "Next live session: <time in the member's zone> [Join] [Add to Google Calendar]" ("Live
    session" when it is the open week's, as the Home says elsewhere)."""
    label = "Live session" if this_week else f"Next live session (week {week})"
    text = f":studio_microphone: *{label}*: {slack_date(starts_at)}"
    block = section(text)
    elements = [button("Join", JOIN_ACTION, url=join_url)] if join_url else []
    elements.append(button("Add to Google Calendar", CALENDAR_ACTION, url=calendar_url))
    return [block, {"type": "actions", "block_id": f"home_{ACTIONS_BLOCK}_{cohort_id}", "elements": elements}]


def rsvp_sentence(attending: bool, changed: bool, week: int) -> str:
    if attending:
        return (f"You're down for week {week}'s live session. Click again if you can't make it." if changed
                else f"You're already down for week {week}'s live session.")
    return (f"Noted: you won't be at week {week}'s live session." if changed
            else f"You aren't down for week {week}'s live session.")
