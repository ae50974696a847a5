"""What the privacy commands say: what is stored and why, the forget-me confirmation and its result."""
from __future__ import annotations

from typing import Any

from bot.blocks import button, context, counted, escape_mrkdwn, message, section
from bot.privacy.forget import Forgotten

FORGET_CONFIRM_ACTION = "privacy_forget_confirm"
FORGET_CANCEL_ACTION = "privacy_forget_cancel"
MY_DATA_FILENAME = "studybot-my-data.json"

# Plain words, for members; keep in step with what the tables hold (docs/ARCHITECTURE.md lists them).
WHAT_IS_STORED = (
    "*What studybot stores about you, and why*\n"
    "• *Your questionnaire answers* — the text of your replies under the weekly questions, and private answers — "
    "so you can see your progress and get your answers back.\n"
    "• *What you share* in the share channel — your post's text, title and links, who replied and reacted — "
    "to put together the weekly digest.\n"
    "• *Your questions for live sessions* — their text, your votes and reports — to put the board together.\n"
    "• *Your study group* — your time zone, meeting preferences, your group and invitations — "
    "to form groups that can meet.\n"
    "• *Your reading plan* — the time you chose for reminders, pauses and nudges — to remind you when you asked.\n"
    "• *Your calendar link* — when you asked for your private calendar feed, and a fingerprint of its secret "
    "(never the link itself) — so your calendar app can fetch your sessions, group meeting and reading time.\n"
    "• *Your commitments* — the chapter and day you committed to each week, and your answer at the deadline — "
    "to ask you once how it went.\n"
    "• *Delivery records* — which messages were sent to you, so nothing is sent twice.\n"
    "• *If you asked to be forgotten* — only a fingerprint of your Slack id (a salted one-way hash) and when "
    "you asked, so that nothing you wrote before is ever recorded again; what you write afterwards is new.\n"
    "studybot does not store your name, email or profile, and never reads direct messages or channels it is not in."
)
YOUR_CHOICES = (
    "Delete a message in Slack and studybot clears its copy of the text. "
    "`{command} my-data` sends you a file with everything above; `{command} forget-me` deletes it."
)


def how_long_text_is_kept(purge_after_months: int | None) -> str:
    """What the retention setting (STUDYBOT_PURGE_TEXT_AFTER_MONTHS) does, in the member's words."""
    if purge_after_months is None:
        return "What you wrote is kept until you delete it or ask studybot to forget you."
    months = f"{counted(purge_after_months, 'month')}"
    return (f"What you wrote (answers, shared posts, questions for live sessions) is cleared {months} after your "
            "cohort ends; your progress and counts stay, without the text.")


def render_privacy(command: str, purge_after_months: int | None = None) -> dict[str, Any]:
    choices = f"{how_long_text_is_kept(purge_after_months)} {YOUR_CHOICES.format(command=command)}"
    return message("What studybot stores about you, and why", [section(WHAT_IS_STORED), context(choices)])


def render_forget_confirmation() -> dict[str, Any]:
    question = ("*Forget everything studybot stores about you?*\nYour answers, what you shared, reactions and replies "
                "it counted, your group membership, preferences and delivery records will be deleted. "
                "This cannot be undone. Only a fingerprint of your Slack id is kept, so that what you wrote "
                "before is never recorded again.")
    actions = {"type": "actions", "elements": [
        button("Yes, forget me", FORGET_CONFIRM_ACTION, value="forget", style="danger"),
        button("Cancel", FORGET_CANCEL_ACTION, value="cancel"),
    ]}
    return message("Forget everything studybot stores about you?", [section(question), actions])


def render_forgotten(forgotten: Forgotten) -> str:
    unlisted = (f" and took your name off {counted(forgotten.unlisted, 'record')} of other people's"
                if forgotten.unlisted else "")
    lines = [f"Done: studybot deleted {counted(forgotten.total, 'record')} about you{unlisted}."]
    cannot = ["your own messages in Slack channels and threads (delete them in Slack; studybot then clears its copy)",
              "your membership of your study group's Slack channel (leave it in Slack)"]
    if forgotten.organizer_of:
        names = ", ".join(escape_mrkdwn(name) for name in forgotten.organizer_of)
        cannot.append(f"your organizer role in {names} (ask another organizer to remove you)")
    cannot += forgotten.kept
    lines.append("What it cannot delete: " + "; ".join(cannot) + ".")
    return "\n".join(lines)


FORGET_CANCELLED = "Nothing was deleted."


def my_data_comment(command: str, records: int) -> str:
    return (f"Here is everything studybot stores about you: {counted(records, 'record')}, as JSON. "
            f"`{command} privacy` explains what each part is for; `{command} forget-me` deletes it.")


def my_data_sent(records: int) -> str:
    return f"I've sent you a file with your data ({counted(records, 'record')}) in a DM from studybot."
