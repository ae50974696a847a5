"""Rows for any table, generically: every NOT NULL column gets a value of its type, foreign keys get a
parent row (made the same way), member columns get the member. New tables need no change here."""
from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Table, TypeDecorator
from sqlalchemy.ext.asyncio import AsyncSession

from bot.privacy.records import is_member_column, member_list_columns

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
_serial = itertools.count(1)


def _value(column, serial: int) -> Any:  # type: ignore[no-untyped-def]
    kind_of = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    if isinstance(kind_of, JSON):
        return []
    kind = kind_of.python_type
    if kind is bool:
        return False
    if kind is int:
        return serial
    if kind is datetime:  # UTCDateTime columns take aware instants; plain DateTime ones naive (local) times
        return NOW if isinstance(column.type, TypeDecorator) else NOW.replace(tzinfo=None)
    if kind is date:
        return NOW.date()
    return f"v{serial}"[: getattr(column.type, "length", None) or 64]


async def insert_row(session: AsyncSession, table: Table, team_id: str, member: str | None,
                     parents: dict[tuple[str, str], Any]) -> dict[str, Any]:
    """One row of `table` in `team_id` naming `member` in every member column and member list."""
    serial = next(_serial)
    values: dict[str, Any] = {}
    for column in table.c:
        if column.primary_key and column.autoincrement in (True, "auto") and column.type.python_type is int:
            continue
        if column.name == "team_id":
            values[column.name] = team_id
        elif column.foreign_keys:
            parent = next(iter(column.foreign_keys)).column.table
            values[column.name] = await parent_id(session, parent, team_id, parents)
        elif member and is_member_column(column.name):
            values[column.name] = member
        elif member and column in member_list_columns(table):
            values[column.name] = [member]
        elif not column.nullable or column.primary_key:
            values[column.name] = _value(column, serial)
    result = await session.execute(table.insert().values(**values))
    if result.inserted_primary_key and result.inserted_primary_key[0] is not None:
        values.setdefault(list(table.primary_key.columns.keys())[0], result.inserted_primary_key[0])
    return values


async def parent_id(session: AsyncSession, table: Table, team_id: str, parents: dict[tuple[str, str], Any]) -> Any:
    """The one parent row of this table in this workspace (made once), so siblings share it."""
    key = (table.name, team_id)
    if key not in parents:
        row = await insert_row(session, table, team_id, None, parents)
        parents[key] = row[list(table.primary_key.columns.keys())[0]]
    return parents[key]
