"""Everything of the study groups a person reads in Slack: messages, replies, the preferences
modal; every block_id / action_id / callback_id of the feature, and the reader of the modal's state.
Values come in plain (names, ids, sentences' parts); nothing here reads the database."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.blocks import (
    MAX_MESSAGE_BLOCKS,
    button,
    context,
    counted,
    escape_mrkdwn,
    mention,
    message,
    pack_lines,
    section,
    slack_date,
)
from bot.calendar.zones import echo
from bot.groups.slots import SlotSuggestion

SLOT_FORMAT = "{date_long_pretty} at {time}"
PREFERENCES_ACTION = "groups_preferences"
PREFERENCES_VIEW = "groups_preferences"
ZONE_CHOICE_ACTION = "groups_join_zone"
MOVE_ACTION = "groups_move"
MAX_ZONE_BUTTONS = 6
MAX_BUTTON_TEXT = 75  # Block Kit's limit for a button's text
FORM_GROUPS_ACTION = "groups_form_after_preview"
DAYS_BLOCK = "days"
TIMES_BLOCK = "times"
DAY_CHOICES = (("weekdays", "Weekdays"), ("weekends", "Weekends"))
TIME_CHOICES = (("mornings", "Mornings"), ("afternoons", "Afternoons"), ("evenings", "Evenings"))


@dataclass(frozen=True)
class MemberLine:
    user_id: str
    zone: str  # e.g. "Asia/Kolkata (UTC+05:30)"


def slot_lines(slots: SlotSuggestion) -> list[str]:
    return [f"• Weekly, starting {slack_date(start, SLOT_FORMAT)} (1 hour)" for start in slots.slots]


def _sections(lines: Sequence[str]) -> list[dict[str, Any]]:
    return [section(chunk) for chunk in pack_lines(lines)]


def intro(group_name: str, members: Sequence[MemberLine], slots: SlotSuggestion, organizers: Sequence[str]) -> dict:
    """The first message in a new group channel: who is here, and when to meet."""
    who = [f"• {mention(m.user_id)} — {escape_mrkdwn(m.zone)}" for m in members]
    when = "*Suggested weekly meeting times* (shown in your own time zone):" if slots.all_fit else (
        "*No hour suits everyone's 07:00–22:00, so here are the least-bad ones* (in your own time zone):"
    )
    blocks = [
        section(f":wave: Welcome to *#{escape_mrkdwn(group_name)}*, your study group of {len(members)}."
                " You live at similar times of day, so you can meet live."),
        *_sections(["*Who's here*", *who]),
        *_sections([when, *slot_lines(slots)]),
        context(escape_mrkdwn(slots.note)),
    ]
    if organizers:
        blocks.append(context("Organizers here to help: " + ", ".join(mention(u) for u in organizers)))
    return message(f"Welcome to #{group_name}: {counted(len(members), 'member')} and suggested meeting times.",
                   blocks[:MAX_MESSAGE_BLOCKS])


def welcome(user_id: str, zone: str) -> dict:
    text = f":wave: {mention(user_id)} joins the group ({escape_mrkdwn(zone)}). Say hello!"
    return message(f"A new member joins the group: {zone}", [section(text)])


def merged_in(moved: Sequence[str], old_name: str) -> dict:
    who = ", ".join(mention(u) for u in moved) or "nobody"
    text = f":handshake: #{escape_mrkdwn(old_name)} has merged into this group: welcome {who}!"
    return message(f"#{old_name} has merged into this group.", [section(text)])


def pointer(keeper_channel: str) -> dict:
    text = f"This group has merged into <#{keeper_channel}>, where you have been invited. This channel is now archived."
    return message("This group has merged; see you in the new channel.", [section(text)])


def join_reply(headline: str, details: Sequence[str], cohort_id: int,
               other_zones: Sequence[tuple[str, str]] = (), move_to: tuple[int, str] | None = None) -> dict:
    """The answer to a join: what was understood, where the member stands; buttons for the
    preferences, for other places of the name they typed (`(label, zone name)`) and for a move
    to a group nearer their new zone (`(group id, name)`)."""
    blocks = [section(headline), *[section(d) for d in details if d]]
    elements = [button("Meeting preferences", PREFERENCES_ACTION, value=str(cohort_id))]
    if move_to is not None:
        elements.insert(0, button(_button_text(f"Move to #{move_to[1]}"), MOVE_ACTION,
                                  value=f"{cohort_id}|{move_to[0]}"))
    elements += _zone_buttons(other_zones, cohort_id, prefix="Use ")
    blocks.append({"type": "actions", "elements": elements})
    return message(headline, blocks)


def zone_choices(prompt: str, choices: Sequence[tuple[str, str]], cohort_id: int) -> dict:
    """Zones to pick from, one button each (`(label, zone name)`): a country on several zones, an
    ambiguous abbreviation like IST."""
    elements = _zone_buttons(choices, cohort_id)
    return message(prompt, [section(escape_mrkdwn(prompt)), {"type": "actions", "elements": elements}])


def _zone_buttons(choices: Sequence[tuple[str, str]], cohort_id: int, prefix: str = "") -> list[dict]:
    return [button(_button_text(prefix + label), f"{ZONE_CHOICE_ACTION}:{i}", value=f"{cohort_id}|{zone}")
            for i, (label, zone) in enumerate(choices[:MAX_ZONE_BUTTONS])]


def _button_text(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_TEXT else text[:MAX_BUTTON_TEXT - 1] + "…"


def group_card(
    group_name: str, channel_id: str | None, members: Sequence[MemberLine], slots: SlotSuggestion | None
) -> dict:
    where = f"<#{channel_id}>" if channel_id else f"#{escape_mrkdwn(group_name)} (its channel is being set up)"
    lines = [f"*Your study group:* {where}, {counted(len(members), 'member')}", *(
        f"• {mention(m.user_id)} — {escape_mrkdwn(m.zone)}" for m in members
    )]
    blocks = _sections(lines)
    if slots is not None:
        blocks += _sections(["*Suggested weekly meeting times* (in your own time zone):", *slot_lines(slots)])
        blocks.append(context(escape_mrkdwn(slots.note)))
    return message(f"Your study group: #{group_name}", blocks[:MAX_MESSAGE_BLOCKS])


def organizer_note(text_lines: Sequence[str]) -> dict:
    """A summary for organizers (formation results, merge suggestions)."""
    blocks = _sections(list(text_lines))
    return message(text_lines[0][:150] if text_lines else "Study groups", blocks[:MAX_MESSAGE_BLOCKS])


def merge_suggestions(pairs: Sequence[tuple[str, str]], command: str) -> dict:
    lines = ["*Study groups that have gone quiet* — merging them with a nearby group may revive them:"]
    lines += [
        f"• #{escape_mrkdwn(mover)} → #{escape_mrkdwn(keeper)}: `{command} admin groups merge {mover} {keeper}`"
        f" or `studybot groups merge {mover} {keeper}`"
        for mover, keeper in pairs
    ]
    return organizer_note(lines)


def preferences_modal(cohort_id: int, prefers: Sequence[str]) -> dict:
    """Two checkbox groups: which days, which times of day. Both optional."""
    def options(choices: Sequence[tuple[str, str]]) -> list[dict]:
        return [{"text": {"type": "plain_text", "text": label}, "value": value} for value, label in choices]

    def checkboxes(block_id: str, label: str, choices: Sequence[tuple[str, str]]) -> dict:
        element: dict[str, Any] = {"type": "checkboxes", "action_id": block_id, "options": options(choices)}
        chosen = [o for o in options(choices) if o["value"] in prefers]
        if chosen:
            element["initial_options"] = chosen
        return {"type": "input", "block_id": block_id, "optional": True, "element": element,
                "label": {"type": "plain_text", "text": label}}

    return {
        "type": "modal",
        "callback_id": PREFERENCES_VIEW,
        "private_metadata": str(cohort_id),
        "title": {"type": "plain_text", "text": "Meeting preferences"},
        "submit": {"type": "plain_text", "text": "Save"},
        "close": {"type": "plain_text", "text": "Cancel"},
        "blocks": [
            section("When would you rather meet your study group? These break ties when groups are formed"
                    " and shape the suggested meeting times."),
            checkboxes(DAYS_BLOCK, "Days", DAY_CHOICES),
            checkboxes(TIMES_BLOCK, "Time of day", TIME_CHOICES),
        ],
    }


def when_text(instant: datetime) -> str:
    return slack_date(instant, "{date_long_pretty} at {time}")


def chosen_preferences(view: dict[str, Any]) -> list[str]:
    """The values ticked in the preferences modal (both checkbox groups)."""
    values = (view.get("state") or {}).get("values") or {}
    return [
        option.get("value", "")
        for block in (DAYS_BLOCK, TIMES_BLOCK)
        for option in ((values.get(block) or {}).get(block) or {}).get("selected_options") or []
    ]


def preferences_refused(command: str) -> dict[str, str]:
    """The modal's error when the member has left (or never joined) meanwhile."""
    return {DAYS_BLOCK: f"Join a study group first with {command} join."}


# --- replies to members -------------------------------------------------------------


def join_first(command: str) -> str:
    return f"Join a study group first with `{command} join`."


COHORT_GONE = "That cohort no longer exists; nothing was changed."


def no_profile_zone(command: str) -> str:
    return (f"Your Slack profile has no time zone, so tell me yours: `{command} join Lisbon`,"
            f" `{command} join Asia/Kolkata` or `{command} join UTC+5:30`.")


def zone_refused(message: str) -> str:
    return message + " Nothing was changed."


def offset_text(offset_minutes: int) -> str:
    """ "UTC+05:30", "UTC-03:00", "UTC+00:00": always a sign, so it reads as an offset."""
    sign = "-" if offset_minutes < 0 else "+"
    hours, minutes = divmod(abs(offset_minutes), 60)
    return f"UTC{sign}{hours:02d}:{minutes:02d}"


def zone_text(zone_name: str, offset_minutes: int, fixed: bool) -> str:
    """ "*Asia/Kolkata* (UTC+05:30 now)"; a fixed offset is its own description."""
    return f"*{zone_name}*" if fixed else f"*{zone_name}* ({offset_text(offset_minutes)} now)"


def join_headline(outcome: str, cohort_name: str, zone: str) -> str:
    """`outcome`: "joined" (first time or back), "changed" (a new zone) or "unchanged"; `zone` from `zone_text`."""
    if outcome == "joined":
        return f"You've joined the study groups of *{escape_mrkdwn(cohort_name)}*. Your time zone: {zone}."
    if outcome == "changed":
        return f"Updated: your time zone is now {zone}."
    return f"You had already joined *{escape_mrkdwn(cohort_name)}*, with the time zone {zone}. Nothing changed."


def place_note(place: str | None, typed: str, guessed: bool, others: int) -> str | None:
    """Which place the zone came from, when the member named one."""
    if place is None:
        return None
    where = escape_mrkdwn(place)
    if guessed:
        return f"I read {escape_mrkdwn(echo(typed))} as {where}; if that's wrong, join again with your city's name."
    if others:
        return (f"That's {where}, the largest place of that name; if you meant another, choose it below.")
    return f"That's the time of {where}."


def fixed_offset_note(command: str) -> str:
    return ("A fixed offset won't follow daylight saving, so for part of the year your local time may be an hour"
            f" off. To follow it, name your city instead: `{command} join Lisbon`.")


def forming_soon(form_at: datetime, now: datetime) -> str:
    if form_at <= now:
        return "Groups are being formed right now; you'll be invited to your group's private channel shortly."
    return f"Groups will be formed {when_text(form_at)}; you'll be invited to your group's private channel then."


WAITING_AFTER_JOIN = ("No group with room is within 3 hours of your time zone, so you're on the waiting list: a new"
                      " group is formed as soon as enough people near you join. I'll invite you then.")


def placed_in(group_name: str, channel_id: str | None, invitation_pending: bool) -> str:
    channel = f"<#{channel_id}>" if channel_id else f"#{group_name}"
    if invitation_pending:
        return f"You're in the group {channel}; the invitation to its channel follows in a few minutes."
    return f"You're in the group {channel} — you've been invited to its private channel."


def move_suggested(current: str, nearer: str) -> str:
    return (f"#{escape_mrkdwn(current)} now meets far from your time of day; #{escape_mrkdwn(nearer)} is the nearest"
            " group with room. Move there with the button below, or stay where you are.")


MOVE_GONE = "That move isn't possible any more (you left, or the group is gone); nothing was changed."


def move_full(group_name: str) -> str:
    return f"#{escape_mrkdwn(group_name)} has filled up meanwhile; nothing was changed. Try `join` again later."


def moved(group_name: str, channel_id: str | None, invitation_pending: bool) -> str:
    return "Moved. " + placed_in(group_name, channel_id, invitation_pending)


def departure(was: str, group_name: str | None, channel_id: str | None, kick_error: str | None, command: str) -> str:
    """`was`: "not_joined" | "already_left" | "signed_up" | "waiting" | "group"."""
    if was in ("not_joined", "already_left"):
        return f"You're not in a study group, so there's nothing to leave. `{command} join` signs you up."
    if was == "signed_up":
        return f"Done: you won't be put in a group when groups are formed. `{command} join` signs you up again."
    if was == "waiting":
        return f"You weren't in a group yet; I've taken you off the waiting list. `{command} join` to come back."
    text = f"You've left #{group_name}."
    if kick_error:
        text += f" I couldn't remove you from <#{channel_id}> ({kick_error}); leave it with `/leave` there."
    return text + f" `{command} join` puts you in a group again."


def not_joined(cohort_name: str, command: str) -> str:
    return f"You haven't joined a study group of *{cohort_name}*. `{command} join` signs you up."


def joined_before_forming(zone: str, form_at: datetime) -> str:
    return f"You've joined, with the time zone {zone}. Groups will be formed {when_text(form_at)}."


WAITING_STATUS = ("You're on the waiting list: no group with room is near your time zone yet."
                  " A new group is formed as soon as enough people near you join.")


# --- organizers ----------------------------------------------------------------------

ADMIN_USAGE = "admin groups form [--min N] [--max N] | preview [--min N] [--max N] | merge <group> <into group>"


def forming(total: int, done: int) -> str:
    """The organizer's progress note of a formation, updated in place."""
    head = f"Forming {counted(total, 'group')} and setting up their channels…"
    return head if not done else f"{head} {done} of {total} done; I'll update this message when finished."
BOUNDS_USAGE = "Expected `--min N` and/or `--max N`, e.g. `form --min 4 --max 8`. Nothing was changed."


def formation_preview(lines: Sequence[str], value: str) -> dict:
    """The dry run in Slack, and the *Form groups* button under it (planned again at the click, on the data
    of that moment; the note it becomes says what was formed)."""
    blocks = _sections([escape_mrkdwn(line) for line in lines])[:MAX_MESSAGE_BLOCKS - 1]
    blocks.append({"type": "actions", "elements": [
        button("Form groups", FORM_GROUPS_ACTION, value=value, style="primary"),
    ]})
    return message(lines[0][:150], blocks)


def admin_usage(command: str) -> str:
    return f"Usage: `{command} {ADMIN_USAGE}`"


def merge_usage(command: str) -> str:
    return f"Name two groups: `{command} admin groups merge <group> <into group>`."


def merge_done(mover: str, keeper_channel: str | None, moved: int, size: int, over_max: bool) -> str:
    text = (f"Merged #{mover} into <#{keeper_channel}>: {counted(moved, 'member')} invited;"
            f" #{mover} got a pointer and is archived. The group now has {counted(size, 'member')}.")
    if over_max:
        text += " That is more than the cohort's maximum group size — fine if you meant it."
    return text


def preferences_button(cohort_id: int) -> dict:
    """The "Meeting preferences" button (opens the preferences modal), for other surfaces such as the App Home."""
    return button("Meeting preferences", PREFERENCES_ACTION, value=str(cohort_id))
