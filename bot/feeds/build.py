"""The calendar feeds' events, and the iCalendar text written from them by the `icalendar` package.

Every event is one occurrence with its start in UTC (``DTSTART:…Z``): no recurrence rules and no time-zone
definitions for a client to get wrong. Each week's instant is computed here from a zone *name*
(bot/calendar/weeks.py, bot/retention/planning.py), so a session at 18:00 in Sydney stays at 18:00 in
Sydney across both hemispheres' daylight-saving changes, and calendar apps show it in their own zone.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.rhythm.views import ChapterLike, chapter_label, chapter_links
from bot.sessions.schedule import LiveSession

SESSION_LENGTH = timedelta(minutes=90)  # the live session: a talk and the upvoted questions
GROUP_MEETING_LENGTH = timedelta(hours=1)  # the length the group's slot suggestions assume (bot/groups/slots.py)
READING_LENGTH = timedelta(hours=1)  # the member's reading time: a block in the diary, not a deadline
PRODUCT = "-//studybot//calendar feeds//EN"


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    summary: str
    starts_at: datetime  # UTC
    length: timedelta
    description: str = ""
    url: str | None = None
    cancelled: bool = False
    sequence: int = 0


def session_events(cohort_id: int, cohort_name: str, sessions: Sequence[LiveSession],
                   chapters: Mapping[int, ChapterLike], host: str) -> list[FeedEvent]:
    """One event per week's live session: the chapter in the title; its links and the join link described."""
    events = []
    for live in sessions:
        chapter = chapters.get(live.week)
        lines = [f"{cohort_name}, week {live.week}: {chapter_label(live.week, chapter)}."]
        if live.cancelled:
            lines.append("This week's live session is cancelled.")
        elif live.link:
            lines.append(f"Join: {live.link}")
        lines += [f"{label}: {url}" for label, url in chapter_links(chapter)]
        events.append(FeedEvent(
            uid=f"cohort-{cohort_id}-week-{live.week}@{host}",
            summary=f"{cohort_name} live session · {chapter_label(live.week, chapter)}",
            starts_at=live.starts_at, length=SESSION_LENGTH, description="\n".join(lines),
            url=None if live.cancelled else live.link, cancelled=live.cancelled, sequence=live.sequence))
    return events


def group_events(cohort_id: int, group_id: int, group_name: str, meetings: Iterable[tuple[int, datetime]],
                 host: str) -> list[FeedEvent]:
    """The group's weekly meeting, one event per (week, UTC start)."""
    return [FeedEvent(uid=f"cohort-{cohort_id}-group-{group_id}-week-{week}@{host}",
                      summary=f"Study group meeting · #{group_name}", starts_at=starts_at,
                      length=GROUP_MEETING_LENGTH,
                      description=f"Your study group's weekly meeting (#{group_name}), week {week}.")
            for week, starts_at in meetings]


def reading_events(cohort_id: int, user_id: str, cohort_name: str, readings: Iterable[tuple[int, datetime]],
                   chapters: Mapping[int, ChapterLike], host: str) -> list[FeedEvent]:
    """The member's reading time, one event per (week, UTC start)."""
    events = []
    for week, starts_at in readings:
        chapter = chapters.get(week)
        links = [f"{label}: {url}" for label, url in chapter_links(chapter)]
        events.append(FeedEvent(
            uid=f"cohort-{cohort_id}-reading-{user_id.lower()}-week-{week}@{host}",
            summary=f"Reading time · {chapter_label(week, chapter)}", starts_at=starts_at, length=READING_LENGTH,
            description="\n".join([f"{cohort_name}, week {week}: the time you chose to read.", *links])))
    return events


def write_calendar(name: str, events: Iterable[FeedEvent], stamp: datetime) -> bytes:
    """The iCalendar text of a feed named `name`; `stamp` (when the feed last changed) is every event's DTSTAMP,
    so an unchanged feed is the same bytes."""
    from icalendar import Calendar, Event  # ~80 modules: imported by the first feed fetched, not at start-up

    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    for item in sorted(events, key=lambda e: (e.starts_at, e.uid)):
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at)
        event.add("duration", item.length)
        event.add("summary", item.summary)
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        event.add("sequence", item.sequence)
        event.add("status", "CANCELLED" if item.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT" if item.cancelled else "OPAQUE")
        calendar.add_component(event)
    return calendar.to_ical()
