"""What members see of commitments: the day picker (planning DM, App Home, `/study commit`), the confirmation,
the one "Did you make it?" DM and the warm line that replaces its buttons.

Wording rules (issue 24): no streak counters, no loss messages, no shame — skipping a week is normal.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from bot.blocks import Block, button, context, escape_mrkdwn, message, plain_text, section, slack_date

DAY_ACTION = "commitment_day"
YES_ACTION = "commitment_yes"
MORE_ACTION = "commitment_more_time"
SKIP_ACTION = "commitment_skip"
ANSWER_ACTIONS = (YES_ACTION, MORE_ACTION, SKIP_ACTION)
BUTTON_OUT_OF_DATE = "Sorry — that button is out of date; nothing was changed."
_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_label(day: date) -> str:
    """"Thu 12 Mar": the member's own local day, in words that need no time zone."""
    return f"{_WEEKDAYS[day.weekday()]} {day.day} {_MONTHS[day.month - 1]}"


def chapter_words(chapter: int, title: str | None) -> str:
    return f"chapter {chapter}" + (f" ({title})" if title else "")


def picker_value(cohort_id: int, week: int, day: date) -> str:
    return f"{cohort_id}:{week}:{day.isoformat()}"


def read_picker_value(value: str) -> tuple[int, int, date] | None:
    """(cohort, week, day) as `picker_value` wrote it; None for anything else."""
    parts = (value or "").split(":")
    if len(parts) != 3 or not parts[0].isdigit() or not parts[1].isdigit():
        return None
    try:
        return int(parts[0]), int(parts[1]), date.fromisoformat(parts[2])
    except ValueError:
        return None


def offer_block(cohort_id: int, week: int, chapter: str, days: Sequence[date], chosen: date | None) -> Block:
    """One section: "Commit to finishing chapter N by…" with a menu of the week's remaining days."""
    options = [{"text": plain_text(day_label(day), 75), "value": picker_value(cohort_id, week, day)} for day in days]
    menu: dict[str, Any] = {"type": "static_select", "action_id": DAY_ACTION, "options": options,
                            "placeholder": plain_text("Pick a day")}
    if chosen is not None:
        menu["initial_option"] = next(o for o in options if o["value"] == picker_value(cohort_id, week, chosen))
        text = f"🎯 You've committed to finishing *{escape_mrkdwn(chapter)}* by *{day_label(chosen)}*. Change the day?"
    else:
        text = f"🎯 *Commit to finishing {escape_mrkdwn(chapter)} by…* (people who pick a day are likelier to finish)"
    return {"type": "section", "block_id": f"commitment_{cohort_id}", "text": {"type": "mrkdwn", "text": text},
            "accessory": menu}


def standing_block(chapter: str, outcome: str | None, due_at: datetime, now: datetime) -> Block:
    """The Home's line once the deadline has come (nothing left to pick this week)."""
    if outcome == "kept":
        text = f"🎯 You finished {escape_mrkdwn(chapter)} as you planned — lovely."
    elif outcome == "skipped":
        text = "🎯 This week is a skip — that's fine. Next week's chapter will be here when you are."
    elif due_at > now:
        text = f"🎯 Take your time with {escape_mrkdwn(chapter)} — I'll check in once more {slack_date(due_at)}."
    else:
        text = f"🎯 How did {escape_mrkdwn(chapter)} go? Tell me in our DM whenever you like."
    return context(text)


def committed_text(chapter: str, day: date, changed: bool) -> str:
    opener = "Changed: you'll" if changed else "Committed: you'll"
    return (f"{opener} finish *{escape_mrkdwn(chapter)}* by *{day_label(day)}*. I'll ask how it went that evening"
            " (20:00 your time) — no pressure either way.")


def commit_usage(command: str) -> str:
    return (f"Usage: `{command} commit` to pick a day, or `{command} commit thu` (a day of this week)."
            " Nothing was changed.")


def command_reply(offer: Block) -> dict[str, Any]:
    """`/study commit` without a day: the picker, privately."""
    return message("Pick a day to finish this week's chapter.", [offer])


def ask(chapter: str, *, cohort_id: int, week: int, second: bool) -> dict[str, Any]:
    """The one DM at the deadline; the second (after "2 more days") has no third chance to extend."""
    value = f"{cohort_id}:{week}"
    lead = "Those two extra days are up" if second else "It's the day you picked"
    text = f"👋 {lead} — did you make it through *{escape_mrkdwn(chapter)}*?"
    buttons = [button("Yes", YES_ACTION, value=value, style="primary")]
    if not second:
        buttons.append(button("Not yet — give me 2 more days", MORE_ACTION, value=value))
    buttons.append(button("Skip this week", SKIP_ACTION, value=value))
    return message(f"Did you make it through {chapter}?", [section(text), {"type": "actions", "elements": buttons}])


def answered(chapter: str, choice: str, due_at: datetime | None = None) -> dict[str, Any]:
    """What the DM becomes once answered: the question, and a warm line instead of the buttons."""
    if choice == YES_ACTION:
        line = f"🎉 Wonderful — {escape_mrkdwn(chapter)} done. Enjoy talking it over with the group!"
    elif choice == MORE_ACTION and due_at is not None:
        line = f"👍 Of course — take your time. I'll check in once more {slack_date(due_at)}."
    else:
        line = "🌱 No problem — some weeks are like that. The group is glad you're here, whenever you pick it up."
    return message(line, [section(f"Did you make it through *{escape_mrkdwn(chapter)}*?"), context(line)])

