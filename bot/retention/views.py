"""Everything members and organizers see of "keeping people in the group": the planning modal and
reminder, the nudge and its buttons, the welcome back, the weekly report, and the ids they carry.

Wording rules (issue 12): missing weeks is normal; no streaks, no counters of days missed, no guilt.
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from bot.blocks import (
    button,
    context,
    counted,
    escape_mrkdwn,
    header,
    link,
    mention,
    message,
    plain_text,
    section,
    slack_date,
)

PLAN_OPEN_ACTION = "retention_plan_open"
PLAN_CALLBACK_ID = "retention_plan"
PLAN_BLOCK = "retention_plan_when"
PLAN_CHOICE_ACTION = "retention_plan_choice"
PLAN_SESSION_BLOCK = "retention_plan_session"
PLAN_SESSION_ACTION = "retention_plan_session_choice"
NUDGE_IN_ACTION = "retention_nudge_in"
NUDGE_PAUSE_ACTION = "retention_nudge_pause"
NUDGE_STOP_ACTION = "retention_nudge_stop"
NUDGES_RESUME_ACTION = "retention_nudges_resume"
EACH_WEEK = "each-week"
NO_PLAN = "none"
BUTTON_OUT_OF_DATE = "Sorry — that button is out of date; nothing was changed."


# ---- planning -----------------------------------------------------------------------------


def planning_button_block(cohort_id: int, week: int | None = None) -> dict[str, Any]:
    """The one button under an announcement, a join reply or the Home: "When will you read this week?"."""
    value = f"{cohort_id}:{week}" if week else str(cohort_id)
    return {"type": "actions", "elements": [button("🗓 When will you read this week?", PLAN_OPEN_ACTION, value=value)]}


def with_planning_button(payload: dict[str, Any], cohort_id: int | None, week: int | None = None) -> dict[str, Any]:
    """`payload` (a message) with the planning button appended, for the handler or job composing a reply that
    offers planning (a join, a week's announcement); unchanged without a cohort."""
    if cohort_id is None:
        return payload
    blocks = list(payload.get("blocks") or [])
    if len(blocks) >= 50:
        return payload
    return {**payload, "blocks": [*blocks, planning_button_block(cohort_id, week)]}


def planning_modal(cohort_id: int, week: int | None, suggestions: Sequence[tuple[str, str]], zone: str,
                   current: str | None, session_reminder: bool) -> dict[str, Any]:
    """Pick a day and time (in the member's own zone) from a few suggestions, or "I'll decide each week"."""
    options = [_option(label, value) for label, value in suggestions]
    options += [_option("I'll decide each week", EACH_WEEK), _option("No reminders, thanks", NO_PLAN)]
    choice: dict[str, Any] = {"type": "static_select", "action_id": PLAN_CHOICE_ACTION, "options": options,
                              "placeholder": plain_text("Pick a time")}
    chosen = next((o for o in options if o["value"] == current), None)
    if chosen is not None:
        choice["initial_option"] = chosen
    session_box: dict[str, Any] = {"type": "checkboxes", "action_id": PLAN_SESSION_ACTION,
                                   "options": [_option("Also remind me an hour before the live session", "on")]}
    if session_reminder:
        session_box["initial_options"] = session_box["options"]
    return {
        "type": "modal",
        "callback_id": PLAN_CALLBACK_ID,
        "private_metadata": f"{cohort_id}:{week or ''}",
        "title": plain_text("Plan your reading"),
        "submit": plain_text("Save"),
        "close": plain_text("Cancel"),
        "blocks": [
            section("People who pick a time to read are much more likely to finish. When suits you?"),
            {"type": "input", "block_id": PLAN_BLOCK, "label": plain_text("When will you read?"), "element": choice},
            {"type": "input", "block_id": PLAN_SESSION_BLOCK, "optional": True, "label": plain_text("Live session"),
             "element": session_box},
            context(f"Times are in your time zone, {escape_mrkdwn(zone)}. I'll DM you then with the chapter and"
                    " one question. Change or stop it any time with `/study remind` or `/study remind off`."),
        ],
    }


def _option(label: str, value: str) -> dict[str, Any]:
    return {"text": plain_text(label, 75), "value": value}


def read_plan_submission(values: dict[str, Any]) -> tuple[str | None, bool]:
    """The chosen value ("Tue 19:00", EACH_WEEK, NO_PLAN) and whether the session reminder box is ticked."""
    chosen = ((values.get(PLAN_BLOCK) or {}).get(PLAN_CHOICE_ACTION) or {}).get("selected_option") or {}
    ticked = ((values.get(PLAN_SESSION_BLOCK) or {}).get(PLAN_SESSION_ACTION) or {}).get("selected_options") or []
    return chosen.get("value"), bool(ticked)


def plan_saved_text(label: str | None, session_reminder: bool) -> str:
    if label is None:
        text = "Got it — no planning reminders. You can set one any time with `/study remind`."
    elif label == EACH_WEEK:
        text = "Got it — you'll decide each week. Use the button on each week's announcement to pick a time."
    else:
        text = f"Saved: I'll DM you on *{label}* (your time) with that week's chapter and one question."
    if session_reminder:
        text += " I'll also remind you an hour before the live session."
    return text


def planning_reminder(*, week: int, chapter_title: str | None, reading_link: tuple[str, str] | None,
                      question: str | None,
                      meeting: datetime | None, group_channel: str | None) -> dict[str, Any]:
    """The DM at the time the member chose: chapter, notebook, their next unanswered question, next meeting."""
    chapter = f"Chapter {week}" + (f": {escape_mrkdwn(chapter_title)}" if chapter_title else "")
    lines = [f"📖 It's your reading time for week {week} — *{chapter}*."]
    if reading_link:
        label, url = reading_link
        lines.append(f"{escape_mrkdwn(label)}: {link(url, 'open it')}")
    if question:
        lines.append(f"Your next question: _{escape_mrkdwn(question)}_ (answer in the questionnaire thread)")
    if meeting is not None:
        lines.append(f"Next live session: {slack_date(meeting)}")
    if group_channel:
        lines.append(f"Your group: <#{group_channel}>")
    text = "\n".join(lines)
    return message(text, [section(text), context("Change or stop these reminders with `/study remind`.")])


def session_reminder(week: int, session: datetime) -> dict[str, Any]:
    text = f"⏰ Week {week}'s live session starts {slack_date(session, '{time}')} — in about an hour. See you there!"
    return message(text, [section(text)])


# ---- nudges and welcome back -----------------------------------------------------------------


def nudge(*, cohort_id: int, week: int, weeks: int, chapter_title: str | None, question: str | None) -> dict[str, Any]:
    """The one gentle DM after two quiet weeks: where the group is, that gaps are normal, one next step."""
    chapter = f"chapter {week}" + (f", *{escape_mrkdwn(chapter_title)}*" if chapter_title else "")
    lines = [
        f"👋 Hi! The group is on week {week} of {weeks}, reading {chapter}.",
        "Missing a week or two is completely normal — most people who finish had gaps too — and the group"
        " will be glad to see you back.",
    ]
    step = "The single next step: read this week's chapter"
    lines.append(step + (f" and try one question: _{escape_mrkdwn(question)}_" if question else "."))
    text = "\n".join(lines)
    value = str(cohort_id)
    buttons = {"type": "actions", "elements": [
        button("I'm in", NUDGE_IN_ACTION, value=value, style="primary"),
        button("Pause me for 2 weeks", NUDGE_PAUSE_ACTION, value=value),
        button("Stop these messages", NUDGE_STOP_ACTION, value=value),
    ]}
    return message(text, [section(text), buttons])


def nudge_answer_text(choice: str, paused_until: datetime | None = None) -> str:
    if choice == NUDGE_IN_ACTION:
        return "Wonderful — see you in this week's thread! 🙌"
    if choice == NUDGE_PAUSE_ACTION and paused_until is not None:
        return (f"Paused until {slack_date(paused_until, '{date_short_pretty}')}: no nudges until then."
                " `/study pause 0` resumes them earlier.")
    return "Done — no more of these messages. `/study nudges on` turns them back on."


def welcome_back(user_id: str) -> str:
    return f"Welcome back, {mention(user_id)}! 👋 Really good to see you here again."


# ---- pause / nudges / remind replies -----------------------------------------------------------


def paused_text(until: datetime | None) -> str:
    if until is None:
        return "You're not paused: nudges are back on (unless you turned them off with `/study nudges off`)."
    return (f"Paused until {slack_date(until, '{date_short_pretty}')}: no nudges until then."
            " `/study pause 0` ends the pause early.")


def nudges_text(on: bool) -> str:
    if on:
        return "Nudges are on: at most one gentle message after two quiet weeks, never more than once in 14 days."
    return "Nudges are off: I won't message you when you've been quiet. `/study nudges on` turns them back on."


def reminders_off_text() -> str:
    return "Planning reminders are off. `/study remind` sets a new time whenever you like."


def preferences_summary(*, plan: str | None, nudges_on: bool, paused_until: datetime | None) -> str:
    """One line for the Home: the member's reminder, nudges and pause state."""
    parts = [f"Reading reminder: *{plan}*" if plan else "No reading reminder"]
    parts.append("nudges on" if nudges_on else "nudges off")
    if paused_until is not None:
        parts.append(f"paused until {slack_date(paused_until, '{date_short_pretty}')}")
    return " · ".join(parts)


def home_blocks(cohort_id: int, summary: str, *, nudges_on: bool, paused: bool) -> list[dict[str, Any]]:
    """The member's Home section: their state, a button to plan, and one to undo a pause or opt-out."""
    elements = [button("Plan my reading", PLAN_OPEN_ACTION, value=str(cohort_id))]
    if paused or not nudges_on:
        elements.append(button("Resume nudges", NUDGES_RESUME_ACTION, value=str(cohort_id)))
    return [section(summary), {"type": "actions", "elements": elements}]


# ---- the organizer's weekly picture ---------------------------------------------------------------


def report_text(cohort_name: str, week: int, weeks: int, numbers: dict[str, Any]) -> str:
    """The short text of the weekly report (same as the CLI prints); `numbers` is `WeeklyReport.as_dict()`."""
    curve = " → ".join(str(n) for n in numbers["active_per_week"])
    answers = ", ".join(f"ch{c}: {n}" for c, n in numbers["answers_per_chapter"].items()) or "none yet"
    lines = [
        f"Weekly picture — {cohort_name}, week {week} of {weeks}",
        f"• Members joined: {numbers['members']} ({numbers['joined_this_week']} new this week)",
        f"• Active this week (answered, shared, posted in a group or marked a chapter done):"
        f" {numbers['active_this_week']}",
        f"• Active members per week since week 1: {curve}",
        f"• Answers per chapter: {answers}",
        f"• Groups that went quiet: {_names(numbers['quiet_groups'])}",
        f"• New sharers: {_people(numbers['new_sharers'])}",
        f"• Came back after a quiet spell: {_people(numbers['came_back'])}",
    ]
    rsvps = numbers.get("rsvps_per_week") or {}
    if rsvps:
        per_week = ", ".join(f"week {w}: {n}" for w, n in sorted(rsvps.items()))
        lines.append(f"• Said they'd be at the live session: {per_week}")
    lines += survival_lines(week, numbers.get("survival") or {})
    unreachable = numbers.get("unreachable") or []
    if unreachable:
        count = counted(len(unreachable), "member")
        lines.append(f"• Direct messages: could not reach {count} — {_mentions(unreachable)}")
    return "\n".join(lines)


def survival_lines(week: int, survival: dict[str, Any]) -> list[str]:
    """The survival curve in words: the share still active each week, chapters done per member, and the
    comparisons with their n — descriptive only (who chose a buddy differs in other ways too)."""
    if not survival.get("members"):
        return []
    shares = " → ".join(_percent(share) for share in survival["share"])
    lines = [f"• Still active (active that week or later), of {survival['members']} who joined: {shares}"]
    done = list(survival["chapters_done"])
    while len(done) > 1 and not done[-1]:
        done.pop()
    lines.append("• Members by chapters done (0, 1, 2, …): " + ", ".join(str(n) for n in done))
    for comparison in survival["comparisons"]:
        having, lacking = comparison["with"], comparison["without"]
        if having["members"] and lacking["members"]:
            lines.append(f"• With {comparison['label']} (n={having['members']}): {_percent(having['share'][-1])}"
                         f" still active in week {week}; without (n={lacking['members']}):"
                         f" {_percent(lacking['share'][-1])}")
    return lines


def _percent(share: float) -> str:
    return f"{round(share * 100)}%"


def _names(names: Sequence[str]) -> str:
    return ", ".join(f"#{escape_mrkdwn(n)}" for n in names) if names else "none"


def _people(user_ids: Sequence[str]) -> str:
    return f"{len(user_ids)} — {_mentions(user_ids)}" if user_ids else "none"


def _mentions(user_ids: Sequence[str], limit: int = 15) -> str:
    more = len(user_ids) - limit
    return " ".join(mention(u) for u in user_ids[:limit]) + (f" and {more} more" if more > 0 else "")


def report_message(cohort_name: str, week: int, weeks: int, numbers: dict[str, Any]) -> dict[str, Any]:
    text = report_text(cohort_name, week, weeks, numbers)
    title, _, body = text.partition("\n")
    return message(text, [header(title), section(body), context("The chart follows in the thread.")])


CHART_ALT = ("Active members per week and answers per chapter; the share of members still active each week;"
             " members by chapters done")


def chart_comment(cohort_name: str, week: int) -> str:
    return f"Active members per week, answers per chapter, still active and chapters done — {cohort_name}, week {week}"


def organizer_home_blocks(text: str, chart_file_id: str | None) -> list[dict[str, Any]]:
    """The top of an organizer's Home: the report's numbers and, once uploaded, the chart."""
    title, _, body = text.partition("\n")
    blocks: list[dict[str, Any]] = [header(title), section(body)]
    if chart_file_id:
        blocks.append({"type": "image", "slack_file": {"id": chart_file_id}, "alt_text": "Weekly activity chart"})
    return blocks
