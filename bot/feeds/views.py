"""What `/study calendar` says, the cohort feed's post, and the Home's hint."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.blocks import context, escape_mrkdwn, message, section, slack_date

NEEDS_PUBLIC_URL = (
    "Calendar feeds aren't switched on here yet: the person who runs studybot sets `STUDYBOT_PUBLIC_URL` to the "
    "address calendar apps reach the bot at (for example `https://studybot.example.org`, forwarded to its `PORT`) "
    "and restarts it. Nothing was changed.")
HOW_TO = (
    "*Google Calendar* (on a computer): Other calendars → *+* → *From URL* → paste the `https://` link.\n"
    "*Apple Calendar*: open the `webcal://` link (or File → New Calendar Subscription… and paste it).\n"
    "*Outlook*: Add calendar → *Subscribe from web* → paste the `https://` link.\n"
    "Calendar apps refresh a subscription on their own schedule (Google: every few hours).")


def usage(command: str) -> str:
    return (f"Usage: `{command} calendar` for your private calendar link, `{command} calendar reset` for a new one "
            "(the old one stops working). Nothing was changed.")


def member_feed(cohort_name: str, https_url: str, webcal_url: str, *, reset: bool, command: str) -> dict[str, Any]:
    """The member's new private URL, both forms, and how to subscribe."""
    opener = ("Here is your new private calendar link; the old one no longer works." if reset else
              "Here is your private calendar link")
    lines = (f"{opener} for *{escape_mrkdwn(cohort_name)}*: the live sessions, your study group's weekly meeting "
             f"and your reading time, in your time zone.\n*Subscribe:* {webcal_url}\n*Or paste:* `{https_url}`")
    keep = ("Keep it to yourself and somewhere safe: studybot stores only a fingerprint of it, so it can't show it "
            f"again. Anyone with the link sees your calendar; `{command} calendar reset` replaces it.")
    return message(f"Your private calendar link: {https_url}", [section(lines), section(HOW_TO), context(keep)])


def member_feed_exists(cohort_name: str, issued_at: datetime, command: str) -> dict[str, Any]:
    text = (f"You got your private calendar link for *{escape_mrkdwn(cohort_name)}* {slack_date(issued_at)}. "
            "studybot keeps only a fingerprint of it, so it can't show it again: "
            f"`{command} calendar reset` gives you a new one (the old one stops working).")
    return message("You already have a private calendar link.", [section(text)])


def cohort_feed_post(cohort_name: str, https_url: str, webcal_url: str) -> dict[str, Any]:
    """The cohort feed's URL, as posted in the cohort's channel."""
    text = (f":calendar: *{escape_mrkdwn(cohort_name)} live sessions in your calendar*: every week's session with "
            f"its chapter, links and join link, kept up to date when a session moves.\n*Subscribe:* {webcal_url}"
            f"\n*Or paste:* `{https_url}`")
    return message(f"{cohort_name} live sessions calendar: {https_url}",
                   [section(text), section(HOW_TO),
                    context("Want your group's meeting and your reading time in it too? `/study calendar` gives "
                            "you a private link.")])


HOME_HINT = "the live sessions, your group's meeting and your reading time in your own calendar app"  # the Home
