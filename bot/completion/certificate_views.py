"""What certificates say: the DM, the admin summary, the name switch, the dates in words."""
from __future__ import annotations

from datetime import date, datetime

from bot.blocks import context, counted, escape_mrkdwn, message, section

UNCHANGED = " Nothing was changed."


def day_words(day: date | datetime) -> str:
    return f"{day.day} {day:%B %Y}"


def dates_words(first: date, last: date) -> str:
    return f"{day_words(first)} – {day_words(last)}"


def chapters_words(done: int, total: int) -> str:
    return f"{done} of {counted(total, 'chapter')}"


def certificate_dm(*, book: str, cohort: str, chapters: str, link: str, command: str, awarded: bool = False) -> dict:
    """The one DM a member gets with their certificate (the image follows it). `awarded`: issued by an organizer
    to a member below the rule, so the DM does not claim they finished."""
    if awarded:
        text = (f"Congratulations — the organizers of {escape_mrkdwn(cohort)} awarded you a certificate for "
                f"*{escape_mrkdwn(book)}*: {chapters} done. Here it is.")
    else:
        text = (f"Congratulations — you finished *{escape_mrkdwn(book)}* with {escape_mrkdwn(cohort)}: "
                f"{chapters} done. Here is your certificate.")
    check = (f"Anyone you give this link can check it: {link}\n"
             f"`{command} certificate name off` hides your name on that page.")
    return message(text, [section(text), context(check)])


def certificate_image_title(book: str) -> str:
    return f"Certificate of completion — {book}"


def certificate_alt_text(name: str, book: str, chapters: str) -> str:
    return f"Certificate of completion: {name} finished {book}, {chapters} done"


def admin_summary(*, cohort: str, issued: int, revoked: int, qualifying: int, rule: str, window: str,
                  by_hand: int) -> str:
    lines = [f"*Certificates for {escape_mrkdwn(cohort)}*",
             f"• {counted(issued, 'certificate')} issued" + (f" ({by_hand} by hand)" if by_hand else ""),
             f"• {counted(revoked, 'certificate')} revoked",
             f"• {counted(qualifying, 'member')} meeting the rule without one yet (issued at the next tick)",
             f"The rule: {rule}, counted until {window}.",
             "Organizers: `studybot certificates list|issue|revoke COHORT [--member U…]`."]
    return "\n".join(lines)


def name_usage(command: str) -> str:
    return (f"Usage: `{command} certificate name off` hides your name on your certificate's public page, "
            f"`{command} certificate name on` shows it again.{UNCHANGED}")


def no_certificate(command: str) -> str:
    return (f"You don't have a certificate yet: it comes by DM when you meet your cohort's rule "
            f"(`{command} progress` shows your chapters).{UNCHANGED}")


def name_shown(show: bool) -> str:
    if show:
        return "Your name is shown on your certificate's public page again."
    return "Your certificate's public page now says \"a member\" instead of your name."
