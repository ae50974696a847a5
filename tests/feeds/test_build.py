"""The feed builder on its own: live sessions carrying a new link, a raised SEQUENCE or a cancellation (the
sessions feature's per-week changes arrive as such `LiveSession`s), written and parsed back with icalendar."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from bot.feeds.build import session_events, write_calendar
from bot.sessions.schedule import LiveSession
from bot.settings import SettingsError, load_settings

STAMP = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Chapter:
    number: int
    title: str
    links: list | None
    reading: str | None = None


CHAPTERS = {1: Chapter(1, "Intro", [{"label": "Notebook", "url": "https://example.org/01.ipynb"}]),
            2: Chapter(2, "Production", None)}


def parsed(sessions: list[LiveSession]) -> dict[str, object]:
    body = write_calendar("fastbook live sessions", session_events(7, "fastbook", sessions, CHAPTERS, "bot.example"),
                          STAMP)
    calendar = Calendar.from_ical(body)
    assert str(calendar["X-WR-CALNAME"]) == "fastbook live sessions"
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_a_moved_relinked_and_a_cancelled_session_keep_their_uids():
    week1, week2 = datetime(2026, 3, 3, 18, tzinfo=UTC), datetime(2026, 3, 10, 18, tzinfo=UTC)
    before = parsed([LiveSession(1, week1, "https://zoom.us/j/1"), LiveSession(2, week2, "https://zoom.us/j/1")])
    after = parsed([LiveSession(1, week1 + timedelta(days=1), "https://youtube.com/live/x", sequence=2),
                    LiveSession(2, week2, "https://zoom.us/j/1", cancelled=True, sequence=1)])
    assert sorted(before) == sorted(after) == ["cohort-7-week-1@bot.example", "cohort-7-week-2@bot.example"]
    moved, cancelled = after["cohort-7-week-1@bot.example"], after["cohort-7-week-2@bot.example"]
    assert int(before["cohort-7-week-1@bot.example"]["SEQUENCE"]) == 0
    assert (int(moved["SEQUENCE"]), str(moved["STATUS"])) == (2, "CONFIRMED")
    assert moved.decoded("DTSTART") == datetime(2026, 3, 4, 18, tzinfo=UTC)
    assert str(moved["URL"]) == "https://youtube.com/live/x"
    assert str(moved["SUMMARY"]) == "fastbook live session · Chapter 1 — Intro"
    assert str(moved["DESCRIPTION"]) == ("fastbook, week 1: Chapter 1 — Intro.\nJoin: https://youtube.com/live/x\n"
                                         "Notebook: https://example.org/01.ipynb")
    assert (int(cancelled["SEQUENCE"]), str(cancelled["STATUS"])) == (1, "CANCELLED")
    assert "URL" not in cancelled and "zoom" not in str(cancelled["DESCRIPTION"])
    assert "cancelled" in str(cancelled["DESCRIPTION"])
    assert cancelled.decoded("DTSTAMP") == STAMP


def test_a_week_beyond_the_syllabus_and_special_characters_survive_the_round_trip():
    events = parsed([LiveSession(21, datetime(2026, 7, 21, 18, tzinfo=UTC), "https://meet.example/a,b;c")])
    [event] = events.values()
    assert str(event["SUMMARY"]) == "fastbook live session · Week 21"
    assert str(event["URL"]) == "https://meet.example/a,b;c"
    assert "Join: https://meet.example/a,b;c" in str(event["DESCRIPTION"])


def test_the_public_url_setting_is_an_address_or_one_line_saying_what_is_expected(monkeypatch):
    monkeypatch.delenv("STUDYBOT_PUBLIC_URL", raising=False)
    assert load_settings(public_url="https://bot.example.org/studybot/").public_url == "https://bot.example.org/studybot"
    assert load_settings(public_url="  ").public_url is None
    for wrong in ("bot.example.org", "ftp://bot.example.org", "https://bot.example.org/?token=1"):
        with pytest.raises(SettingsError, match="^STUDYBOT_PUBLIC_URL: expected the address the bot is reachable at"):
            load_settings(public_url=wrong)
