"""The join link's one check, and the "Add to Google Calendar" link of one session (pure functions)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode, urlsplit

from bot.errors import StudyError

MAX_LINK = 500
SESSION_LENGTH = timedelta(hours=1)  # a calendar entry needs an end; the session's usual length
GOOGLE_CALENDAR = "https://calendar.google.com/calendar/render"


def parse_session_link(text: str) -> str:
    """An `https://` URL with a host (Zoom, YouTube Live, Meet, …), else StudyError with one line."""
    cleaned = text.strip().strip("<>").strip()
    if not _is_link(cleaned):
        shown = cleaned if len(cleaned) <= 60 else cleaned[:59] + "…"
        raise StudyError(f'"{shown}" is not a session link: give an https:// address with a host, '
                         "e.g. https://zoom.us/j/123456789 (at most 500 characters).")
    return cleaned


def _is_link(url: str) -> bool:
    if not url or len(url) > MAX_LINK or any(c.isspace() for c in url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() == "https" and bool(parts.hostname)
    except ValueError:  # a malformed port or IPv6 host
        return False


def google_calendar_link(title: str, starts_at: datetime, *, details: str = "",
                         length: timedelta = SESSION_LENGTH) -> str:
    """Google Calendar's "create event" link for one session: its UTC start and end, title and details."""
    def stamp(instant: datetime) -> str:
        return instant.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")

    query = {"action": "TEMPLATE", "text": title, "dates": f"{stamp(starts_at)}/{stamp(starts_at + length)}"}
    if details:
        query["details"] = details
    return f"{GOOGLE_CALENDAR}?{urlencode(query)}"
