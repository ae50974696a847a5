"""The weekly rhythm's messages: the week-open announcement, session reminders, the
organizers' status card and the answers to their admin commands.

Times are written with Slack's date token so every member reads them in their
own time zone; the token's fallback (where it cannot render) is the UTC time.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from bot.blocks import context, counted, escape_mrkdwn, header, link, message, section, slack_date


def help_hint(command: str) -> str:
    return f"Type `{command} help` for everything the bot can do."


class ChapterLike(Protocol):
    @property
    def number(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def links(self) -> list | None: ...  # [{"label", "url"}]
    @property
    def reading(self) -> str | None: ...


@dataclass(frozen=True)
class Announcement:
    """Everything the week-open message says, as plain values."""

    week: int
    weeks: int
    chapter: ChapterLike | None
    closes_at: datetime
    session: datetime | None
    questions_channel: str
    share_channel: str | None
    question_count: int = 0
    steps: Sequence[str] = ()  # the syllabus's weekly steps before the questionnaire, as mrkdwn
    session_link: str | None = None  # where members join the live session
    session_cancelled: bool = False  # this week's session was cancelled by an organizer


def chapter_label(week: int, chapter: ChapterLike | None) -> str:
    """"Chapter 3 — Data Ethics" (plain text), or "Week 21" when the syllabus has no such chapter."""
    return f"Chapter {chapter.number} — {chapter.title}" if chapter else f"Week {week}"


def render_announcement(a: Announcement, command: str) -> dict[str, Any]:
    label = chapter_label(a.week, a.chapter)
    blocks = [header(f"Week {a.week} of {a.weeks} · {label}")]
    opener = f"Week {a.week} is open! This week we read *{escape_mrkdwn(label)}*."
    links = _links(a.chapter)
    blocks.append(section(opener + (f"\n{links}" if links else "")))
    blocks.append(section(_todo(a)))
    if a.session is not None:
        join = f"\nJoin here: {link_text(a.session_link)}" if a.session_link else ""
        blocks.append(section(
            f":studio_microphone: *Live session*: {slack_date(a.session)} (shown in your time zone).{join}"))
    elif a.session_cancelled:
        blocks.append(section(":no_entry_sign: *Live session*: cancelled this week."))
    blocks.append(context(f"Week {a.week} closes {slack_date(a.closes_at)}. {help_hint(command)}"))
    fallback = f"Week {a.week} is open: {label}."
    if a.session is not None:
        fallback += f" Live session {slack_date(a.session)}."
    return message(fallback, blocks)


# The emoji before a link, by the first word of these its label contains (case ignored); else :link:.
_LINK_EMOJI = (("clean", ":broom:"), ("colab", ":rocket:"), ("video", ":clapper:"), ("lecture", ":clapper:"),
               ("notebook", ":notebook:"), ("slides", ":bar_chart:"), ("paper", ":page_facing_up:"),
               ("exercise", ":pencil2:"), ("code", ":computer:"), ("read", ":book:"), ("chapter", ":book:"))


def chapter_links(chapter: ChapterLike | None) -> list[tuple[str, str]]:
    """The chapter's links as (label, url), in the syllabus's order."""
    return [(item["label"], item["url"]) for item in (chapter.links or [])] if chapter else []


def chapter_link_items(chapter: ChapterLike | None) -> list[str]:
    """The chapter's links, each as `:emoji: <url|label>`."""
    return [f"{_emoji(label)} {link(url, label)}" for label, url in chapter_links(chapter)]


def _emoji(label: str) -> str:
    lowered = label.lower()
    return next((emoji for word, emoji in _LINK_EMOJI if word in lowered), ":link:")


def _links(chapter: ChapterLike | None) -> str:
    return "  ·  ".join(chapter_link_items(chapter))


def _todo(a: Announcement) -> str:
    questions = counted(a.question_count, "question") if a.question_count else "the questions"
    share = f"in <#{a.share_channel}>" if a.share_channel else "here"
    reading = a.chapter.reading if a.chapter else None
    steps = list(a.steps) or ["*Read* this week's chapter."]
    steps += [f"*Answer the questionnaire*: {questions} arrive in <#{a.questions_channel}> during the week;"
              " answer each in its thread.",
              f"*Share what you built* {share} — code, an app, a blog post, a question you are stuck on."]
    lines = ["*What to do this week*" + (f" (reading: {escape_mrkdwn(reading)})" if reading else "")]
    return "\n".join(lines + [f"{number}. {step}" for number, step in enumerate(steps, start=1)])


def render_reminder(*, week: int, chapter: ChapterLike | None, session: datetime, now: datetime,
                    command: str, join_url: str | None = None) -> dict[str, Any]:
    """"Live session in 24 hours" — worded from the real time left, in case it goes out late."""
    label = chapter_label(week, chapter)
    when = slack_date(session)
    text = f":alarm_clock: The live session on *{escape_mrkdwn(label)}* starts {_in(session - now)}: {when}."
    if join_url:
        text += f"\nJoin here: {link_text(join_url)}"
    blocks = [section(text),
              context("Bring your questions from the questionnaire and what you tried. " + help_hint(command))]
    return message(f"Live session on {label} {_in(session - now)}: {when}.", blocks)


def link_text(url: str) -> str:
    """A join link written out, so members see where it goes."""
    return link(url, url)


def _in(left: timedelta) -> str:
    minutes = max(1, round(left.total_seconds() / 60))
    if minutes < 90:
        return f"in {counted(minutes, 'minute')}"
    hours = round(minutes / 60)
    return f"in {hours} hours"


@dataclass(frozen=True)
class CohortCounts:
    members: int  # joined for a study group and not left
    groups: int  # live study groups
    waiting: int  # members without a group
    answers_this_week: int | None  # questions members answered of the open week's; None when no week is open


@dataclass(frozen=True)
class StatusCard:
    """What an organizer sees for `/study admin status`."""

    name: str
    channel_id: str
    timezone: str
    start_local: datetime
    weeks: int
    session: str | None
    breaks: Sequence[int]
    organizers: Sequence[str]
    share_channel_id: str | None
    current_week: int | None
    current_label: str | None
    current_closes_at: datetime | None
    announcement: str | None  # "posted", "skipped", "due", … for the current week
    next_week: int | None
    next_opens_at: datetime | None
    upcoming: Sequence[tuple[datetime, str]] = ()  # the next scheduled posts, soonest first
    counts: CohortCounts | None = None


def where_now(card: StatusCard) -> str:
    """`week 3 of 20 (Chapter 3: Data ethics)`, or why no week is open."""
    if card.current_week is None:
        return "no week open (before week 1, in a break, or after the last week)"
    return f"week {card.current_week} of {card.weeks} ({card.current_label or 'no chapter imported'})"


def counts_line(counts: CohortCounts) -> str:
    answers = "no week open" if counts.answers_this_week is None else str(counts.answers_this_week)
    return (f"{counted(counts.members, 'member')} · {counted(counts.groups, 'group')} · {counts.waiting} waiting"
            f" · answers this week: {answers}")


def upcoming_lines(card: StatusCard) -> list[str]:
    """Each next post in the cohort's time and in UTC (plain text: the CLI has no Slack date tokens)."""
    zone = ZoneInfo(card.timezone)
    return [f"{what}: {when.astimezone(zone):%a %Y-%m-%d %H:%M} {card.timezone} = {when.astimezone(UTC):%a %H:%M} UTC"
            for when, what in card.upcoming]


def status_lines(card: StatusCard) -> list[str]:
    """`studybot cohort show`: the same summary as `/study admin status`, as plain lines."""
    lines = [f"{card.name}: {where_now(card)}"]
    if card.counts is not None:
        lines.append(counts_line(card.counts))
    lines += ["next posts:", *(f"  {line}" for line in upcoming_lines(card))] if card.upcoming else [
        "next posts: none, every week is over"]
    return lines


def render_status(card: StatusCard, command: str) -> dict[str, Any]:
    settings = [
        f"*{escape_mrkdwn(card.name)}* in <#{card.channel_id}> · {counted(card.weeks, 'week')}",
        f"Week 1 opened/opens {card.start_local:%Y-%m-%d %H:%M} {card.timezone}",
        f"Live session: {card.session + ' (' + card.timezone + ')' if card.session else 'none'}",
        f"Breaks before weeks: {', '.join(map(str, sorted(card.breaks))) or 'none'}",
        f"Organizers: {' '.join(f'<@{u}>' for u in card.organizers) or 'workspace admins only'}",
        f"Share channel: {f'<#{card.share_channel_id}>' if card.share_channel_id else 'none'}",
    ]
    if card.current_week is not None and card.current_closes_at is not None:  # set together
        now_line = (f"*Now*: week {card.current_week} ({escape_mrkdwn(card.current_label or '')}),"
                    f" announcement {card.announcement}, closes {slack_date(card.current_closes_at)}")
    else:
        now_line = "*Now*: no week is open (before week 1, in a break, or after the last week)"
    next_line = (f"*Next*: week {card.next_week} opens {slack_date(card.next_opens_at)}"
                 if card.next_week is not None and card.next_opens_at is not None else "*Next*: no more weeks")
    summary = [counts_line(card.counts)] if card.counts is not None else []
    upcoming = [f"• {escape_mrkdwn(what)}: {slack_date(when)} ({when.astimezone(UTC):%a %H:%M} UTC)"
                for when, what in card.upcoming]
    blocks = [section("\n".join(settings)), section(f"{now_line}\n{next_line}"),
              *([section("\n".join(["*Next posts*", *upcoming]))] if upcoming else []),
              *([context(escape_mrkdwn(summary[0]))] if summary else []), context(admin_usage(command))]
    return message(f"{card.name}: " + (f"week {card.current_week}" if card.current_week else "no week open"), blocks)


def admin_usage(command: str) -> str:
    return (
        f"`{command} admin status` · `pause <week>` · `unpause <week>` · `skip <week>` · `rerun <week>`"
        " · `session <weekday HH:MM | off>`"
        ' · `session <week> [at "YYYY-MM-DD HH:MM"] [link URL] [cancel | restore]` · `doctor`'
    )


def render_admin_result(text: str) -> dict[str, Any]:
    return message(text, [section(text)])
