"""Count the SQL statements a request runs: the per-request cost the benchmarks' ratios come from."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from bot.database import Database


@contextmanager
def statements(db: Database) -> Iterator[list[str]]:
    """Every statement run on `db` inside the block (BEGIN/COMMIT excluded), in order."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
