"""`/study admin session N [at "YYYY-MM-DD HH:MM"] [link URL] [cancel|restore]`: an organizer changes one
week's session from Slack (the weekly time stays `/study admin session tue 18:00`)."""
from __future__ import annotations

from bot.database import Database
from bot.errors import StudyError
from bot.models import Cohort
from bot.sessions.overrides import WeekChange, change_week, parse_change

USAGE = 'session <week> [at "YYYY-MM-DD HH:MM"] [link https://…] [cancel | restore]'
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def is_week_change(rest: str) -> bool:
    """`session 5 …` or `session week 5 …` changes one week; anything else is the weekly time."""
    first = rest.strip().lower().removeprefix("week").strip()
    return first[:1].isdigit()


def parse_admin_change(cohort: Cohort, rest: str, command: str) -> WeekChange:
    words = rest.translate(_QUOTES).replace('"', " ").replace("'", " ").split()
    if words and words[0].lower() == "week":
        words = words[1:]
    usage = StudyError(f"Expected `{command} admin {USAGE}`.")
    if not words:
        raise usage
    week, words = words[0], words[1:]
    at = link = None
    flags = set()
    while words:
        word = words.pop(0).lower()
        if word == "at" and len(words) >= 2:
            at, words = f"{words[0]} {words[1]}", words[2:]
        elif word == "link" and words:
            link = words.pop(0)
        elif word in ("cancel", "restore"):
            flags.add(word)
        else:
            raise usage
    return parse_change(cohort, week=week, at=at, link=link, cancel="cancel" in flags, restore="restore" in flags)


async def admin_week_change(db: Database, cohort: Cohort, rest: str, command: str) -> str:
    """Validate and apply; the organizer's one sentence (StudyError: nothing was changed)."""
    change = parse_admin_change(cohort, rest, command)
    return (await change_week(db, cohort.id, change)).sentence(cohort)
