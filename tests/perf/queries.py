"""Count the SQL statements a request runs: the per-request cost the benchmarks' ratios come from."""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from bot.database import Database


@contextmanager
def statements(db: Database, *, inbox: bool = False) -> Iterator[list[str]]:
    """Every statement run on `db` inside the block (BEGIN/COMMIT excluded), in order. Without `inbox`, the
    inbox's writes (the request written down before its ack, marked done after: the same two for every
    request, counted in tests/core/test_inbound_delivery.py) are left out: what remains is the feature's cost."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        if inbox or "processed_events" not in statement:
            seen.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)
