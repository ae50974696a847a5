"""Cohort look-ups every feature needs: which cohort a channel or a member belongs to."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BindParameter, Select, bindparam, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.calendar.timeparse import parse_local_datetime, parse_weekly_time
from bot.calendar.weeks import Rhythm
from bot.calendar.zones import cohort_timezone
from bot.errors import StudyError
from bot.models import Chapter, Cohort
from bot.slack_ids import parse_channel_id
from bot.syllabus.fastbook import BUILT_IN, DEFAULT
from bot.syllabus.file import Syllabus, find_syllabus
from bot.syllabus.store import apply_syllabus


async def create_cohort(
    session: AsyncSession,
    *,
    team_id: str,
    name: str,
    channel_id: str,
    timezone: str,
    start: str | datetime,
    now: datetime,
    weeks: int | None = None,
    syllabus: Syllabus | None = None,
    session_time: str | None = None,
    share_channel_id: str | None = None,
    questionnaire_channel_id: str | None = None,
    organizers: Sequence[str] = (),
) -> Cohort:
    """Validate everything first (StudyError says what is expected), then store the cohort with `syllabus`
    (default: the built-in fastbook: chapters and links, questions imported separately), one week per unit
    of its week plan unless `weeks` says otherwise."""
    name = name.strip()
    syllabus = syllabus or find_syllabus(DEFAULT)
    weeks = weeks if weeks is not None else len(syllabus.units)
    if not 1 <= len(name) <= 80:
        raise StudyError("A cohort name is 1–80 characters, e.g. fastbook-2026.")
    if not 1 <= weeks <= 60:
        raise StudyError("--weeks is a number of weeks from 1 to 60.")
    cohort = Cohort(
        team_id=team_id,
        name=name,
        channel_id=parse_channel_id(channel_id),
        timezone=cohort_timezone(timezone),
        start_local=start if isinstance(start, datetime) else parse_local_datetime(start),
        weeks=weeks,
        session=str(parse_weekly_time(session_time)) if session_time else None,
        share_channel_id=parse_channel_id(share_channel_id) if share_channel_id else None,
        questionnaire_channel_id=parse_channel_id(questionnaire_channel_id) if questionnaire_channel_id else None,
        organizers=list(organizers),
        breaks=[],
        created_at=now,
        active=True,
    )
    if await cohort_by_name(session, team_id, name):
        raise StudyError(f'A cohort named "{name}" already exists.')
    session.add(cohort)
    await session.flush()
    await apply_syllabus(session, cohort, syllabus, now)
    return cohort


async def _add_missing_chapters(session: AsyncSession, cohort: Cohort) -> None:
    """Give a cohort on a built-in syllabus its chapters for weeks 1..weeks it does not have yet (a syllabus
    file's later weeks come with the next `studybot syllabus import` of that file)."""
    name = (cohort.syllabus or {}).get("name", DEFAULT)
    if name not in BUILT_IN:
        return
    have = set(await session.scalars(select(Chapter.number).where(Chapter.cohort_id == cohort.id)))
    syllabus = find_syllabus(name)
    for unit in syllabus.units[:cohort.weeks]:
        if unit.number not in have:
            await apply_syllabus(session, cohort, syllabus, cohort.created_at)
            return


_UNSET: Any = object()


async def edit_cohort(
    session: AsyncSession,
    cohort: Cohort,
    *,
    channel_id: str | None = None,
    timezone: str | None = None,
    start: str | datetime | None = None,
    weeks: int | None = None,
    session_time: str | None = _UNSET,
    share_channel_id: str | None = _UNSET,
    questionnaire_channel_id: str | None = _UNSET,
    organizers: Sequence[str] | None = None,
    complete_at: int | None = _UNSET,
) -> list[str]:
    """Change some settings; every value is validated before any is stored.

    `session_time`, `share_channel_id` and `questionnaire_channel_id` accept None
    to remove the setting; `complete_at` (chapters done to complete the cohort) None for the default.
    Returns the names of the settings that changed.
    Week keys never change, so a week already announced is not announced again.
    """
    values: dict[str, Any] = {}
    if channel_id is not None:
        values["channel_id"] = parse_channel_id(channel_id)
    if timezone is not None:
        values["timezone"] = cohort_timezone(timezone)
    if start is not None:
        values["start_local"] = start if isinstance(start, datetime) else parse_local_datetime(start)
    if weeks is not None:
        if not 1 <= weeks <= 60:
            raise StudyError("--weeks is a number of weeks from 1 to 60.")
        late_breaks = [week for week in cohort.breaks or [] if week > weeks]
        if late_breaks:
            raise StudyError(f"There are breaks before weeks {late_breaks}; "
                             f"remove them before shortening to {weeks} weeks.")
        values["weeks"] = weeks
    if session_time is not _UNSET:
        values["session"] = str(parse_weekly_time(session_time)) if session_time else None
    if share_channel_id is not _UNSET:
        values["share_channel_id"] = parse_channel_id(share_channel_id) if share_channel_id else None
    if questionnaire_channel_id is not _UNSET:
        values["questionnaire_channel_id"] = (
            parse_channel_id(questionnaire_channel_id) if questionnaire_channel_id else None
        )
    if organizers is not None:
        values["organizers"] = list(organizers)
    if complete_at is not _UNSET:
        chapters = values.get("weeks", cohort.weeks)
        if complete_at is not None and not 1 <= complete_at <= chapters:
            raise StudyError(f"--complete-at is a number of chapters from 1 to {chapters} (or `default`).")
        values["complete_at_chapters"] = complete_at
    changed = [name for name, value in values.items() if getattr(cohort, name) != value]
    for name in changed:
        setattr(cohort, name, values[name])
    if "weeks" in changed:
        await _add_missing_chapters(session, cohort)
    await session.flush()
    return changed


def rhythm_of(cohort: Cohort) -> Rhythm:
    """The cohort's weekly rhythm as the pure time maths understands it."""
    return Rhythm(
        timezone=cohort.timezone,
        start_local=cohort.start_local,
        weeks=cohort.weeks,
        breaks=frozenset(cohort.breaks or ()),
        session=parse_weekly_time(cohort.session) if cohort.session else None,
    )


async def cohort_in(session: AsyncSession, team_id: str, cohort_id: int | None) -> Cohort | None:
    """The cohort a button value or modal metadata names, only if it is the caller's workspace's:
    an id is global, so a value forged (or replayed) from another workspace finds nothing."""
    if cohort_id is None:
        return None
    cohort = await session.get(Cohort, cohort_id)
    return cohort if cohort is not None and cohort.team_id == team_id else None


async def cohort_by_name(session: AsyncSession, team_id: str, name: str) -> Cohort | None:
    return await session.scalar(select(Cohort).where(Cohort.team_id == team_id, Cohort.name == name))


async def active_cohorts(session: AsyncSession, team_id: str | None = None) -> list[Cohort]:
    query = select(Cohort).where(Cohort.active.is_(True)).order_by(Cohort.id)
    if team_id is not None:
        query = query.where(Cohort.team_id == team_id)
    return list(await session.scalars(query))


def _by_channel_query() -> Select[Cohort]:
    """Built once: every slash command runs it, and building it cost more than running it."""
    channel_id: BindParameter[str] = bindparam("channel_id")
    return (select(Cohort)
            .where(Cohort.team_id == bindparam("team_id"), Cohort.active.is_(True))
            .where(or_(Cohort.channel_id == channel_id, Cohort.share_channel_id == channel_id,
                       Cohort.questionnaire_channel_id == channel_id))
            .order_by(Cohort.id))


_BY_CHANNEL = _by_channel_query()


async def cohort_for_channel(session: AsyncSession, team_id: str, channel_id: str | None) -> Cohort | None:
    """The cohort whose main, share or questionnaire channel this is — else the only active one."""
    if channel_id:
        found = await session.scalar(_BY_CHANNEL, {"team_id": team_id, "channel_id": channel_id})
        if found:
            return found
    cohorts = await active_cohorts(session, team_id)
    return cohorts[0] if len(cohorts) == 1 else None


async def pick_cohort(session: AsyncSession, team_id: str | None, name: str | None) -> Cohort:
    """For the CLI's `--cohort NAME`: that cohort, or the only active one; StudyError otherwise."""
    if name:
        query = select(Cohort).where(Cohort.name == name)
        if team_id:
            query = query.where(Cohort.team_id == team_id)
        found = list(await session.scalars(query))
        if len(found) == 1:
            return found[0]
        if not found:
            raise StudyError(f'No cohort named "{name}". See: studybot cohort list')
        raise StudyError(f'Several workspaces have a cohort named "{name}"; give --team too.')
    cohorts = await active_cohorts(session, team_id)
    if len(cohorts) == 1:
        return cohorts[0]
    if not cohorts:
        raise StudyError("No cohort yet. Create one with: "
                         "studybot cohort create NAME --channel C… --start … --timezone …")
    names = ", ".join(c.name for c in cohorts)
    raise StudyError(f"Several cohorts ({names}); choose one with --cohort NAME.")
