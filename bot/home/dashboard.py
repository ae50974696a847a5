"""A member's App Home: what to read this week, when to meet, how far they are, and their study group.

`gather_home` collects plain values for (team, user, now) from the features'
own read functions — the cohorts and their weeks, the questionnaire's progress,
the study groups' membership — and `bot.home.views.render_home` turns them
into the view. The few pieces another feature draws (a chapter's name and
links, the buttons its listeners answer) are asked of that feature's views
here, so the home's own views import no other feature. Each section is gathered on its own (its own session, its own
`try`): a failure in one is logged and shown as "couldn't load" in that section,
and the rest of the home still shows. `gather_home` never raises.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import select

from bot.ama.views import ask_button
from bot.blocks import Block
from bot.buddies.parts import buddy_home_blocks
from bot.cohorts.store import active_cohorts
from bot.cohorts.weeks import weeks_around
from bot.commitments.commit import home_blocks as commitment_blocks
from bot.completion.marks import done_line
from bot.database import Database
from bot.feeds.views import HOME_HINT
from bot.groups.records import (
    form_at,
    formation_of,
    member_of,
    members_of_group,
    zone_of,
)
from bot.groups.views import preferences_button
from bot.models import Chapter, Cohort
from bot.models.groups import GroupMember, StudyGroup
from bot.questionnaire.member import next_release
from bot.questionnaire.record import ChapterProgress, last_answered, progress
from bot.questionnaire.views import answer_privately_button, chapter_name
from bot.rhythm.views import chapter_link_items
from bot.sessions.home import home_part
from bot.sessions.recordings import home_part as recording_home_part
from bot.slack_client import top_level_permalink
from bot.syllabus.store import syllabus_about

log = logging.getLogger(__name__)

QUIET_FOR = timedelta(days=7)  # no answer for this long (after some before): "welcome back"
MAX_COHORTS = 3  # a workspace rarely runs more at once; the view stays well inside 100 blocks
PERMALINK_SECONDS = 2.0  # the home is worth more without a link than late

T = TypeVar("T")


@dataclass(frozen=True)
class ChapterLinks:
    """A chapter as the rhythm shows it: its name (plain text) and its links (mrkdwn, one item each)."""

    number: int
    name: str
    links: tuple[str, ...]


@dataclass(frozen=True)
class WeekView:
    """Where the cohort is in its calendar at `now`.

    `phase`: ``open`` (week `number` is open), ``upcoming`` (before week 1),
    ``break`` (between two weeks) or ``finished``. `chapter` is the open week's
    chapter, or the next week's when none is open. `session` is the next live
    session at or after now — the open week's, else the next week's — and
    `session_week` says which week it belongs to.
    """

    phase: str
    weeks: int
    number: int | None
    closes_at: datetime | None
    next_number: int | None
    next_opens_at: datetime | None
    chapter: ChapterLinks | None
    session: datetime | None
    session_week: int | None


@dataclass(frozen=True)
class NextQuestion:
    chapter: int
    position: int
    total: int
    question: str  # mrkdwn, as posted
    channel_id: str
    permalink: str | None
    answer_button: Block  # the questionnaire's "Answer privately" for this question


@dataclass(frozen=True)
class QuestionnaireView:
    """The member's questionnaire record, from `bot.questionnaire.record.progress`."""

    this_week: ChapterProgress | None  # None: no week open, or this week's chapter has no questions
    answered: int  # over every chapter opened so far
    total: int
    chapters: int  # chapters with questions so far
    complete: int  # of which every question is answered
    next_question: NextQuestion | None  # this week's first posted question they have not answered
    more_at: datetime | None  # when more of this week's questions come out
    chapters_done: str | None = None  # completion's line, mrkdwn: "7 of 20 chapters done"


@dataclass(frozen=True)
class MyGroup:
    """`status`: ``none`` (never joined), ``left``, ``signed_up`` (groups not formed yet),
    ``waiting`` (formed, no group near them yet) or ``grouped``."""

    status: str
    cohort_id: int
    zone: str | None = None  # "Asia/Kolkata (UTC+05:30)"
    forms_at: datetime | None = None  # None once formation is due (it is under way)
    name: str | None = None
    channel_id: str | None = None
    members: int = 0
    preferences_button: Block | None = None  # the groups' "Meeting preferences", once signed up


@dataclass(frozen=True)
class CohortHome:
    id: int
    name: str
    channel_id: str
    questions_channel_id: str
    share_channel_id: str | None
    week: WeekView | None  # None when it could not be gathered (see `unavailable`)
    questionnaire: QuestionnaireView | None  # gathered for members only
    group: MyGroup | None  # gathered for members only
    last_answered_at: datetime | None
    welcome_back: bool  # answered before, nothing for QUIET_FOR, and a week is open
    unavailable: tuple[str, ...] = ()  # "week", "questionnaire", "group": sections that failed
    ask_button: Block | None = None  # the AMA's "Ask a question", for a member while a week is open
    book: tuple[str, str] | None = None  # the syllabus's (title, home link)
    live_session: tuple[Block, ...] = ()  # the sessions feature's "Next live session … [Join] [Add to calendar]"
    recording: tuple[Block, ...] = ()  # "Missed it? Watch week N's session" (bot/sessions/recordings.py)
    commitment: tuple[Block, ...] = ()  # commitments' day menu or standing line (issue 24), while a week is open
    buddy: list[Block] = field(default_factory=list)  # the study buddy's section, for a member of the groups


@dataclass(frozen=True)
class Home:
    """`member`: the cohorts are the member's own (they joined a study group or answered a question);
    otherwise they are the workspace's active cohorts, to show a newcomer what is going on."""

    member: bool
    cohorts: list[CohortHome]
    more_cohorts: int = 0  # cohorts not shown (beyond MAX_COHORTS)
    unavailable: bool = False  # not even the cohorts could be read
    calendar_hint: str | None = None  # the calendar feeds' one line, after "`/study calendar` —"


async def gather_home(
    db: Database, *, team_id: str, user_id: str, now: datetime, client: AsyncWebClient | None = None,
) -> Home:
    """Everything the member's home shows. With `client`, this week's next question gets a link."""
    try:
        async with db.session() as session:
            cohorts = await active_cohorts(session, team_id)
            answered = await last_answered(session, team_id, user_id)
            joined: dict[int, GroupMember] = {}
            for cohort in cohorts:
                found = await member_of(session, cohort.id, user_id)
                if found is not None:
                    joined[cohort.id] = found
    except Exception:  # the home still shows its welcome
        log.exception("home: could not read the cohorts of %s/%s", team_id, user_id)
        return Home(member=False, cohorts=[], unavailable=True)
    mine = [c for c in cohorts if c.id in answered or c.id in joined]
    listed = mine or cohorts
    homes = [
        await _cohort_home(db, client, cohort, user_id, now, member=bool(mine), last=answered.get(cohort.id))
        for cohort in listed[:MAX_COHORTS]
    ]
    return Home(member=bool(mine), cohorts=homes, more_cohorts=max(0, len(listed) - MAX_COHORTS),
                calendar_hint=HOME_HINT if mine else None)


async def _cohort_home(
    db: Database, client: AsyncWebClient | None, cohort: Cohort, user_id: str, now: datetime, *,
    member: bool, last: datetime | None,
) -> CohortHome:
    failed: list[str] = []
    week = await _attempt("week", failed, _week_view(db, cohort, now))
    live = await _attempt("live session", failed, home_part(db, cohort, now)) if member else None
    questionnaire = group = buddy = None
    if member:
        questionnaire = await _attempt("questionnaire", failed, _questionnaire(db, client, cohort, user_id, now))
        group = await _attempt("group", failed, _group(db, cohort, user_id, now))
        buddy = await _attempt("buddy", failed, buddy_home_blocks(db, cohort.id, user_id))
    recording = await _attempt("recording", failed, _recording(db, cohort, now))
    quiet = last is not None and now - last >= QUIET_FOR
    week_open = week is not None and week.phase == "open"
    commitment = None
    if member and week_open:
        commitment = await _attempt("commitment", failed, commitment_blocks(db, cohort, user_id, now))
    return CohortHome(
        id=cohort.id, name=cohort.name, channel_id=cohort.channel_id,
        questions_channel_id=cohort.questionnaire_channel_id or cohort.channel_id,
        share_channel_id=cohort.share_channel_id, week=week, questionnaire=questionnaire, group=group,
        last_answered_at=last, welcome_back=quiet and week_open, unavailable=tuple(failed),
        ask_button=ask_button() if member and week_open else None,
        book=_book(cohort), live_session=tuple(live or ()), recording=tuple(recording or ()),
        commitment=tuple(commitment or ()), buddy=buddy or [],
    )


async def _recording(db: Database, cohort: Cohort, now: datetime) -> list[Block]:
    async with db.session() as session:
        return await recording_home_part(session, cohort, now)


def _book(cohort: Cohort) -> tuple[str, str]:
    about = syllabus_about(cohort)
    return about["title"], about["home"]


async def _attempt(name: str, failed: list[str], gathering: Awaitable[T]) -> T | None:
    try:
        return await gathering
    except Exception:  # one section failing must not take the home down
        log.exception("home: could not gather the %s section", name)
        failed.append(name)
        return None


async def _week_view(db: Database, cohort: Cohort, now: datetime) -> WeekView:
    around = weeks_around(cohort, now)
    current, following = around.current, around.next
    if current is not None:
        phase = "open"
    elif following is None:
        phase = "finished"
    else:
        phase = "upcoming" if around.previous is None else "break"
    shown = current or following
    chapter = None
    if shown is not None:
        async with db.session() as session:
            row = await session.scalar(
                select(Chapter).where(Chapter.cohort_id == cohort.id, Chapter.number == shown.number)
            )
        if row is not None:
            chapter = ChapterLinks(row.number, chapter_name(row.number, row.title),
                                   tuple(chapter_link_items(row)))
    session_week = next(
        (w for w in (current, following) if w is not None and w.session is not None and w.session >= now), None
    )
    return WeekView(
        phase=phase, weeks=cohort.weeks, number=current.number if current else None,
        closes_at=current.closes_at if current else None,
        next_number=following.number if following else None,
        next_opens_at=following.opens_at if following else None,
        chapter=chapter,
        session=session_week.session if session_week else None,
        session_week=session_week.number if session_week else None,
    )


async def _questionnaire(
    db: Database, client: AsyncWebClient | None, cohort: Cohort, user_id: str, now: datetime,
) -> QuestionnaireView:
    async with db.session() as session:
        result = await progress(session, cohort, user_id, now)
        done = await done_line(session, cohort, user_id, result.chapters, now)
    more_at = next_release(cohort, result, now)
    next_question = None
    if result.next_prompt is not None:
        prompt = result.next_prompt
        link = await _link(client, prompt.channel_id, prompt.ts)
        next_question = NextQuestion(prompt.chapter, prompt.position, prompt.total, prompt.question_text,
                                     prompt.channel_id, link,
                                     answer_privately_button(cohort.id, prompt.chapter, prompt.position))
    chapters = result.chapters
    return QuestionnaireView(
        this_week=result.current,
        answered=sum(c.answered for c in chapters),
        total=sum(c.total for c in chapters),
        chapters=len(chapters),
        complete=sum(1 for c in chapters if c.total and c.answered >= c.total),
        next_question=next_question,
        more_at=more_at,
        chapters_done=done,
    )


async def _link(client: AsyncWebClient | None, channel_id: str, ts: str) -> str | None:
    """The question's permalink, or None (no client, Slack refused, or too slow): it is still named."""
    if client is None:
        return None
    try:
        return await asyncio.wait_for(top_level_permalink(client, channel_id, ts), PERMALINK_SECONDS)
    except Exception:  # a timeout or a network error only costs the link
        log.warning("home: no permalink for %s/%s", channel_id, ts, exc_info=True)
        return None


async def _group(db: Database, cohort: Cohort, user_id: str, now: datetime) -> MyGroup:
    async with db.session() as session:
        member = await member_of(session, cohort.id, user_id)
        if member is None:
            return MyGroup("none", cohort.id)
        if member.left_at is not None:
            return MyGroup("left", cohort.id)
        zone = zone_of(member).describe(now)
        button = preferences_button(cohort.id)
        group = await session.get(StudyGroup, member.group_id) if member.group_id else None
        if group is not None:
            size = len(await members_of_group(session, group.id))
            return MyGroup("grouped", cohort.id, zone, name=group.name, channel_id=group.channel_id, members=size,
                           preferences_button=button)
        if await formation_of(session, cohort.id) is not None:
            return MyGroup("waiting", cohort.id, zone, preferences_button=button)
        forms_at = form_at(cohort)
        return MyGroup("signed_up", cohort.id, zone, forms_at=forms_at if forms_at > now else None,
                       preferences_button=button)
