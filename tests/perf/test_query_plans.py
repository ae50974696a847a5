"""Every query on the paths a full-size cohort makes hot uses an index (issue 26).

A cohort in week 20 (benchmarks/scale_seed.py, at a small size) is driven as Slack and the clock drive it:
`/study progress`, `/study group`, the weekly report, the digest, `answers export --all`, and a week-open
tick (every job: the announcement, the prompts, the planning DMs…). Each statement seen on the way is then
explained — `EXPLAIN QUERY PLAN` on SQLite, `EXPLAIN` with sequential scans priced out on PostgreSQL — and a
full scan of a table that grows with the cohort fails the test, naming the statement.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, select

from benchmarks import scale_seed
from bot.database import Database
from bot.models import Cohort
from bot.questionnaire.record import cohort_answers
from bot.retention.report import build_report
from bot.share.digest import compose_digest

# Tables whose rows grow with members, answers, posts or time (the small settings and cohort tables do not).
LARGE = {"answers", "share_posts", "share_replies", "share_reactions", "share_tallies", "ama_votes", "ama_questions",
         "ama_reports", "group_members", "retention_members", "retention_group_messages", "outbound_messages",
         "job_runs", "processed_events", "direct_channels", "questions", "prompts", "published_homes",
         "group_invites", "group_activity", "forgotten_members"}
SIZE = scale_seed.ScaleSize(members=60, chapters=20, questions_per_chapter=3, answering_questions=20, groups=3,
                            posts=60, ama_questions=20, votes=100)
MEMBER = scale_seed.user(0)


@contextmanager
def captured(db: Database) -> Iterator[list[tuple[str, Any]]]:
    """Every single-row-set statement run on `db` inside the block, with its parameters."""
    seen: list[tuple[str, Any]] = []

    def record(_conn, _cursor, statement, parameters, _context, executemany) -> None:  # type: ignore[no-untyped-def]
        if not executemany:
            seen.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


def explained(statement: str) -> bool:
    head = statement.lstrip().split(None, 1)[0].upper() if statement.strip() else ""
    return head in ("SELECT", "UPDATE", "DELETE", "WITH") or (head == "INSERT" and " SELECT " in statement.upper())


async def full_scans(db: Database, statements: list[tuple[str, Any]]) -> list[str]:
    found = []
    postgres = db.engine.dialect.name == "postgresql"
    async with db.engine.connect() as connection:
        if postgres:
            await connection.exec_driver_sql("SET enable_seqscan = off")
        for statement, parameters in {(s, repr(p)): (s, p) for s, p in statements if explained(s)}.values():
            prefix = "EXPLAIN " if postgres else "EXPLAIN QUERY PLAN "
            rows = (await connection.exec_driver_sql(prefix + statement, parameters)).all()
            lines = [str(row[0]) for row in rows] if postgres else [str(row[-1]) for row in rows]
            for line in lines:
                scanned = (re.search(r"Seq Scan on (\w+)", line) if postgres
                           else re.match(r"\s*SCAN (\w+)(?! USING (?:COVERING )?INDEX \w+ \()", line))
                if scanned and scanned[1] in LARGE:
                    found.append(f"{line.strip()}\n    in: {' '.join(statement.split())[:400]}")
                    break
        await connection.rollback()
    return found


async def test_the_hot_paths_of_a_full_size_cohort_use_indexes(bot, emulator, clock, database_url):
    for n in range(SIZE.members):
        emulator.workspace.add_user(scale_seed.user(n))
    await scale_seed.seed_scale(database_url, SIZE,
                                "C0STUDY001", "1773000000.000001", now=clock.now())
    async with bot.db.session() as session:
        cohort = await session.scalar(select(Cohort).where(Cohort.name == "scale"))
    with captured(bot.db) as seen:
        await bot.slash("progress", user=MEMBER)
        await bot.reply()
        await bot.slash("group", user=MEMBER)
        await bot.reply()
        async with bot.db.session() as session:
            await build_report(session, cohort, scale_seed.WEEK)
            await compose_digest(session, cohort, scale_seed.WEEK - 1)
            exported = [answer async for answer in cohort_answers(session, cohort.id)]
        await bot.tick()
        await bot.settle()
    assert len(exported) == (SIZE.members + 1) // 2 * SIZE.answering_questions
    assert any("FROM answers" in s for s, _ in seen) and any("share_posts" in s for s, _ in seen)
    assert any("retention_members" in s for s, _ in seen), "the week-open tick read no planning preferences"
    scans = await full_scans(bot.db, seen)
    assert not scans, "full scans of large tables:\n" + "\n".join(sorted(set(scans)))
