"""Small database helpers shared by every service."""
from __future__ import annotations

from typing import Any, TypeVar, cast

from sqlalchemy import CursorResult, Result
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

Row = TypeVar("Row")


async def insert_ignore(session: AsyncSession, model: type, values: dict[str, Any]) -> bool:
    """INSERT … ON CONFLICT DO NOTHING; True when this call inserted the row.

    This is how the bot takes a lock that survives restarts and works across
    replicas: the first writer of a unique key wins, the others see False.
    """
    dialect = session.bind.dialect.name if session.bind else "sqlite"
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    result = await session.execute(insert(model).values(**values).on_conflict_do_nothing())
    return rowcount(result) > 0


def rowcount(result: Result[Any]) -> int:
    """Rows an UPDATE, DELETE or INSERT touched (0 when the driver cannot say).

    `session.execute` is typed as returning `Result`, but for those statements it is a `CursorResult`.
    """
    return cast(CursorResult[Any], result).rowcount or 0


async def get_known(session: AsyncSession, model: type[Row], key: Any) -> Row:
    """`session.get` for a row that must exist: a foreign key points at it, or this code just claimed it."""
    row = await session.get(model, key)
    if row is None:
        raise LookupError(f"{model.__name__} {key!r} is missing though a reference to it was just read")
    return row
