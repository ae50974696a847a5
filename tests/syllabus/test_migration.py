"""0015: chapters stored before syllabus files keep their four links, now as labelled `links`."""
from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from alembic import command
from sqlalchemy import select, text

from bot.cohorts.store import create_cohort
from bot.database import Database, _alembic_config, upgrade
from bot.models import Chapter, Cohort


async def test_existing_chapters_get_their_links_copied_and_cohorts_read_the_built_in(database_url):
    db = Database(database_url)
    async with db.session() as session:
        cohort = await create_cohort(session, team_id="T0STUDY01", name="c", channel_id="C0STUDY001",
                                     timezone="UTC", start="2026-03-03 18:00", now=datetime(2026, 3, 1, tzinfo=UTC),
                                     weeks=2)
        cohort_id = cohort.id
    await db.dispose()
    await asyncio.to_thread(command.downgrade, _alembic_config(database_url), "0014")
    db = Database(database_url)
    async with db.session() as session:
        await session.execute(text("UPDATE chapters SET notebook_url = 'https://n/2', clean_url = NULL,"
                                   " colab_url = NULL, video_url = 'https://v/2' WHERE number = 2"))
    await db.dispose()
    await upgrade(database_url)
    db = Database(database_url)
    try:
        async with db.session() as session:
            chapters = list(await session.scalars(select(Chapter).order_by(Chapter.number)))
            cohort = await session.get(Cohort, cohort_id)
    finally:
        await db.dispose()
    assert [link["label"] for link in chapters[0].links] == [
        "Notebook", "Clean notebook (code only)", "Open in Colab", "Course lesson video"]
    assert chapters[1].links == [{"label": "Notebook", "url": "https://n/2"},
                                 {"label": "Course lesson video", "url": "https://v/2"}]
    assert cohort is not None and cohort.syllabus is None  # read as the built-in fastbook (`syllabus_about`)
