"""Store imported questionnaires and syllabus files on a cohort without losing a single answer.

Answers are keyed by (cohort, chapter, position), so a re-import updates the
rows in place: a changed text is rewritten and `text_changed_at` recorded, a
new position is added, a position that vanished is marked `retired` (never
deleted), and a retired position that comes back is revived.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models import Chapter, Cohort, Question
from bot.progress import Progress, advance
from bot.syllabus.align import align
from bot.syllabus.fastbook import DEFAULT, LINK_COLUMNS
from bot.syllabus.file import Syllabus, Unit, find_syllabus


@dataclass(frozen=True)
class ChapterImport:
    """What one chapter's import did."""

    chapter: int
    title: str | None
    count: int
    added: int
    changed: int
    retired: int


async def store_questionnaires(
    session: AsyncSession, cohort: Cohort, chapters: Mapping[int, Sequence[str]], now: datetime, *,
    progress: Progress | None = None, by_text: bool = False,
) -> list[ChapterImport]:
    """Replace the questions of exactly the chapters in `chapters`; other chapters are untouched.

    Questions are matched to the stored ones by position (notebooks), or `by_text` (syllabus files, see
    `align`). `progress(done, total)` hears of each chapter stored."""
    titles = dict((await session.execute(
        select(Chapter.number, Chapter.title).where(Chapter.cohort_id == cohort.id)
    )).all())
    stored = []
    for number in sorted(chapters):
        stored.append(await _store_chapter(session, cohort, number, list(chapters[number]), titles.get(number), now,
                                           by_text))
        await advance(progress, len(stored), len(chapters))
    return stored


async def _store_chapter(session: AsyncSession, cohort: Cohort, number: int, texts: list[str],
                         title: str | None, now: datetime, by_text: bool) -> ChapterImport:
    existing = {
        q.position: q
        for q in await session.scalars(
            select(Question).where(Question.cohort_id == cohort.id, Question.chapter == number)
        )
    }
    if by_text:
        stored = sorted(existing.items())
        placed = align([(p, q.text) for p, q in stored if not q.retired], [(p, q.text) for p, q in stored if q.retired],
                       texts)
    else:
        placed = list(enumerate(texts, start=1))
    added = changed = retired = 0
    for position, text in placed:
        question = existing.get(position)
        if question is None:
            session.add(Question(team_id=cohort.team_id, cohort_id=cohort.id, chapter=number, position=position,
                                 text=text, retired=False, imported_at=now))
            added += 1
            continue
        if question.text != text:
            question.text = text
            question.text_changed_at = now
            changed += 1
        question.retired = False
        question.imported_at = now
    kept = {position for position, _ in placed}
    for position, question in existing.items():
        if position not in kept and not question.retired:
            question.retired = True
            retired += 1
    await session.flush()
    return ChapterImport(number, title, len(texts), added, changed, retired)


async def questionnaire(session: AsyncSession, cohort: Cohort) -> list[tuple[Chapter, list[str]]]:
    """The cohort's chapters in order, each with its current (not retired) questions in order."""
    chapters = list(await session.scalars(
        select(Chapter).where(Chapter.cohort_id == cohort.id).order_by(Chapter.number)
    ))
    rows = await session.scalars(
        select(Question)
        .where(Question.cohort_id == cohort.id, Question.retired.is_(False))
        .order_by(Question.chapter, Question.position)
    )
    by_chapter: dict[int, list[str]] = {}
    for question in rows:
        by_chapter.setdefault(question.chapter, []).append(question.text)
    return [(chapter, by_chapter.get(chapter.number, [])) for chapter in chapters]


async def apply_syllabus(session: AsyncSession, cohort: Cohort, syllabus: Syllabus, now: datetime, *,
                         progress: Progress | None = None) -> list[ChapterImport]:
    """Give the cohort `syllabus`: its facts, each week's chapter row (title, links, reading) and the questions
    of every week whose chapters list them, for weeks 1..`cohort.weeks`. Only what changed changes; answers are
    kept as `store_questionnaires` keeps them."""
    cohort.syllabus = syllabus.about()
    rows = {chapter.number: chapter for chapter in await session.scalars(
        select(Chapter).where(Chapter.cohort_id == cohort.id))}
    units = syllabus.units[:cohort.weeks]
    for unit in units:
        row = rows.get(unit.number)
        if row is None:
            row = Chapter(team_id=cohort.team_id, cohort_id=cohort.id, number=unit.number)
            session.add(row)
        _copy_unit(row, unit)
    await session.flush()
    questions = {unit.number: unit.questions for unit in units if unit.questions is not None}
    return await store_questionnaires(session, cohort, questions, now, progress=progress, by_text=True)


def _copy_unit(row: Chapter, unit: Unit) -> None:
    links = [{"label": label, "url": url} for label, url in unit.links]
    if row.title != unit.title:
        row.title = unit.title
    if row.links != links:
        row.links = links
    row.reading = unit.reading
    for label, column in LINK_COLUMNS.items():
        setattr(row, column, next((url for name, url in unit.links if name == label), None))


def syllabus_about(cohort: Cohort) -> dict[str, Any]:
    """The cohort's syllabus facts (name, title, author, home, steps); a cohort from before syllabus files
    reads the built-in fastbook."""
    return cohort.syllabus or _built_in_about()


@cache
def _built_in_about() -> dict[str, Any]:
    return find_syllabus(DEFAULT).about()
