"""What members read about their chapters done: one line at a glance, and the replies to `/study done`."""
from __future__ import annotations

from datetime import datetime

from bot.blocks import counted, escape_mrkdwn, slack_date

USAGE = "done [N] [undo]"


def done_summary(done: int, chapters: int, needed: int) -> str:
    """"7 of 20 chapters done", and how many complete the cohort (mrkdwn)."""
    line = f":books: *{done} of {counted(chapters, 'chapter')} done*"
    if done >= needed:
        return f"{line} — you've completed the cohort :tada:"
    return f"{line} · {needed} complete the cohort"


def plain_summary(done: int, chapters: int) -> str:
    return f"{done} of {counted(chapters, 'chapter')} done"


def usage(command: str) -> str:
    return (f"Usage: `{command} {USAGE}` — e.g. `{command} done` for this week's chapter, `{command} done 4`"
            f" for chapter 4, `{command} done 4 undo` to take it back. Nothing was changed.")


def no_such_chapter(chapter: int, cohort: str, chapters: int) -> str:
    return (f"There's no chapter {chapter} in {escape_mrkdwn(cohort)} — chapters go from 1 to {chapters}."
            " Nothing was changed.")


def not_a_member(cohort: str, command: str) -> str:
    return (f"You haven't joined {escape_mrkdwn(cohort)} yet — `{command} join` first, then mark the chapters"
            " you've done. Nothing was changed.")


def nothing_open_yet(cohort: str, opens_at: datetime) -> str:
    return (f"No chapter of {escape_mrkdwn(cohort)} has opened yet — the first opens {slack_date(opens_at)}."
            " Nothing was changed.")


def count_closed(cohort: str, closed_at: datetime) -> str:
    return (f"Chapters done in {escape_mrkdwn(cohort)} were counted until {slack_date(closed_at)}, two weeks after"
            " its last week. Nothing was changed.")


def marked(chapter: int, summary: str, *, already: bool) -> str:
    head = f"You'd already marked chapter {chapter} done." if already else f"Chapter {chapter} is marked done."
    return f"{head}\n{summary}"


def unmarked(chapter: int, summary: str, *, still_done: bool) -> str:
    if still_done:
        return (f"Your mark on chapter {chapter} is taken back — it still counts as done, since you answered at"
                f" least half of its questions.\n{summary}")
    return f"Chapter {chapter} is no longer marked done.\n{summary}"


def nothing_to_undo(chapter: int, summary: str, *, done_by_answers: bool) -> str:
    if done_by_answers:
        return (f"Chapter {chapter} counts as done because you answered at least half of its questions;"
                f" `undo` only takes back a mark you set. Nothing was changed.\n{summary}")
    return f"Chapter {chapter} wasn't marked done — nothing to undo.\n{summary}"
