"""What study buddies see: the replies to `/study buddy`, the introduction and the weekly check-in in the pair's
group DM, the private offers of a new match, the Home's part and the button other features' messages carry.

Nothing here ever names who was quiet or who ended a pairing: an ending is "this buddy pairing has ended".
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from bot.blocks import button, context, escape_mrkdwn, mention, message, section, slack_date

OPT_IN_ACTION = "buddies_opt_in"  # value: the cohort id
CHECKIN_ACTIONS = {"both": "buddies_checkin_both", "one": "buddies_checkin_one", "none": "buddies_checkin_none"}
NEW_BUDDY_ACTION = "buddies_new"  # value: "<cohort>:<pair or 0>"
KEEP_BUDDY_ACTION = "buddies_keep"  # value: the pair id
NO_THANKS_ACTION = "buddies_no_thanks"  # value: the cohort id
BUTTON_OUT_OF_DATE = "Sorry — that button is out of date; nothing was changed."
DAY_NAMES = ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays")


def usage(command: str) -> str:
    return (f"Usage: `{command} buddy` to get a study buddy, `{command} buddy off` to stop."
            " Nothing was changed.")


def join_first(command: str) -> str:
    return (f"A study buddy comes from your study group: join one first with `{command} join`, then"
            f" `{command} buddy`. Nothing was changed.")


def opted_in_text(command: str) -> str:
    return ("🤝 You're in! I'll pair you with one study buddy — from your study group when someone there is"
            " looking too, else the person nearest your time zone — usually within a minute, at most in two"
            f" days. You'll both get a group DM to say hello. `{command} buddy off` stops it any time.")


def already_waiting_text() -> str:
    return "You're already on the list for a study buddy — I'll introduce you in a group DM soon."


def already_paired_text(partners: Sequence[str], command: str) -> str:
    return (f"You already have a study buddy: {_people(partners)} — your group DM with them has this week's"
            f" check-in. `{command} buddy off` ends the pairing kindly.")


def off_text(was: str, command: str) -> str:
    if was == "paired":
        return ("Done — your buddy pairing has ended, with a friendly note to your buddy (no reasons given)."
                f" `{command} buddy` finds you a new one any time.")
    if was == "waiting":
        return f"Done — you're off the buddy list. `{command} buddy` puts you back on it any time."
    return "You don't have a study buddy and aren't waiting for one; nothing was changed."


def buddy_button(cohort_id: int, label: str = "Find me a study buddy") -> dict[str, Any]:
    return button(label, OPT_IN_ACTION, value=str(cohort_id))


def buddy_button_block(cohort_id: int) -> dict[str, Any]:
    return {"type": "actions", "block_id": "buddies_offer", "elements": [buddy_button(cohort_id)]}


def with_buddy_button(payload: dict[str, Any], cohort_id: int) -> dict[str, Any]:
    """`payload` (a message) with the "Find me a study buddy" button (for the job composing it), above a closing
    context line such as the planning DM's "change or stop these reminders"."""
    blocks = list(payload.get("blocks") or [])
    if len(blocks) >= 50:
        return payload
    at = len(blocks) - 1 if blocks and blocks[-1].get("type") == "context" else len(blocks)
    return {**payload, "blocks": [*blocks[:at], buddy_button_block(cohort_id), *blocks[at:]]}


def _people(user_ids: Sequence[str]) -> str:
    names = [mention(u) for u in user_ids]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _you(count: int) -> str:
    return "you two" if count == 2 else "you three" if count == 3 else "you all"


def introduction(members: Sequence[tuple[str, str, datetime]], book: str | None, slot: datetime,
                 slot_locals: Mapping[str, datetime], command: str) -> dict[str, Any]:
    """The first message in the pair's group DM. `members`: (user, zone name, their local time now);
    `slot`: the next weekly time that suits everyone (UTC), `slot_locals` its local time for each member."""
    users = [user for user, _, _ in members]
    reading = f" — you're reading *{escape_mrkdwn(book)}* together" if book else ""
    lines = [f"👋 Meet your study {'buddy' if len(users) == 2 else 'buddies'}! {_people(users)}{reading}."]
    lines += [f"• {mention(user)}: it's {local:%H:%M} for you ({escape_mrkdwn(zone)})" for user, zone, local in members]
    when = " · ".join(f"{DAY_NAMES[slot_locals[u].weekday()]} at {slot_locals[u]:%H:%M} for {mention(u)}"
                      for u in users)
    lines.append(f"A weekly time that suits {_you(len(users))}: {when} (next: {slack_date(slot)}).")
    lines.append("Once a week I'll ask here whether you read the chapter — a quick tap, no pressure. Say hi!")
    text = "\n".join(lines)
    return message(text, [section(text), context(f"`{command} buddy off` ends the pairing kindly, any time.")])


def check_in(pair_id: int, week: int, size: int, chapter_title: str | None,
             commitments: Mapping[str, str]) -> dict[str, Any]:
    chapter = f"chapter {week}" + (f" (_{escape_mrkdwn(chapter_title)}_)" if chapter_title else "")
    question = f"📚 Did {_you(size)} read {chapter}?"
    lines = [question] + [f"• {mention(user)}'s plan this week: {escape_mrkdwn(line)}"
                          for user, line in sorted(commitments.items())]
    text = "\n".join(lines)
    labels = {"both": "Both of us" if size == 2 else "All of us", "one": "One of us" if size == 2 else "Some of us",
              "none": "Not this week"}
    value = f"{pair_id}:{week}"
    buttons = [button(labels[choice], action, value=value, style="primary" if choice == "both" else None)
               for choice, action in CHECKIN_ACTIONS.items()]
    return message(question, [section(text), {"type": "actions", "block_id": "buddies_checkin",
                                              "elements": buttons}])


def check_in_answered(choice: str) -> str:
    return {"both": "Noted — well done, both of you! 🎉",
            "one": "Noted — thanks. Comparing notes on what stood out is a nice way to catch up together.",
            "none": "Noted — thanks for saying so. Weeks like that happen; there's always next week."}[choice]


def ended_note() -> str:
    return "This buddy pairing has ended. Thank you for reading together!"


def _offer(text: str, cohort_id: int, pair_id: int, second: dict[str, Any]) -> dict[str, Any]:
    buttons = [button("Find me a new buddy", NEW_BUDDY_ACTION, value=f"{cohort_id}:{pair_id}", style="primary"),
               second]
    return message(text, [section(text), {"type": "actions", "block_id": "buddies_rematch", "elements": buttons}])


def ended_offer(cohort_id: int, pair_id: int) -> dict[str, Any]:
    """The private DM to a member whose pairing ended without them asking."""
    text = ("Your buddy pairing has ended — plans change, and that's fine. Would you like a new study buddy?"
            " I'll introduce you as soon as someone is free.")
    return _offer(text, cohort_id, pair_id, button("No thanks", NO_THANKS_ACTION, value=str(cohort_id)))


def quiet_offer(cohort_id: int, pair_id: int) -> dict[str, Any]:
    """The private DM to each member of a pair whose check-ins were quiet two weeks running (no one is named)."""
    text = ("Hi! Your buddy check-ins have been quiet for a couple of weeks — busy stretches happen to everyone."
            " Would you like a new study buddy, or keep your current one?")
    return _offer(text, cohort_id, pair_id, button("Keep my buddy", KEEP_BUDDY_ACTION, value=str(pair_id)))


def new_buddy_text(command: str) -> str:
    return (f"Got it — I'll find you a new study buddy and introduce you in a group DM soon. `{command} buddy off`"
            " stops it any time.")


def keep_text() -> str:
    return "Great — your buddy pairing carries on. Happy reading!"


def no_thanks_text(command: str) -> str:
    return f"No problem. `{command} buddy` finds you a study buddy whenever you like."


def home_blocks(cohort_id: int, status: str, partners: Sequence[str]) -> list[dict[str, Any]]:
    """`status`: "none" (never asked, or stopped), "waiting" or "paired"."""
    if status == "paired":
        return [section(f"*Study buddy:* {_people(partners)} · your group DM has each week's check-in.")]
    if status == "waiting":
        return [section("*Study buddy* — you're on the list; I'll introduce you in a group DM soon"
                        " (at most two days).")]
    block = section("*Study buddy* — read along with one partner, with a quick check-in each week.")
    block["accessory"] = buddy_button(cohort_id)
    return [block]
