"""Which rows name a member — one definition for `/study my-data` and `/study forget-me`.

The convention every table follows (tests/privacy/test_forget_me.py walks every table and checks it):
a column holding a member's Slack user id is named `user_id`, or ends in `_user_id`, or is one of
the person-role names in `ROLE_COLUMNS` (`asker_id`, `voter_id`, …). A new table that stores members
is covered without any change here as long as it names its column that way. Beyond columns, a member
is named in JSON lists of member ids, named `…_users` (e.g. `share_posts.history_reply_users`): forgetting
removes them from the list and keeps the row, which is someone else's. And a member is named by bookkeeping
of messages sent to them (`outbound_messages` whose channel is their DM, or
whose key contains their id as one `:`-separated part).

Some rows naming a member are kept on purpose; `KEPT` says which and why, in the words the member sees.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, Column, Table, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from bot.models import Base, OutboundMessage
from bot.models.feeds import SECRET_COLUMNS
from bot.models.workspaces import TOKEN_COLUMNS

ROLE_COLUMNS = frozenset({"asker_id", "voter_id", "author_id", "requester_id"})
NOT_MEMBERS = frozenset({"bot_user_id"})  # the bot itself
UNSHOWN = TOKEN_COLUMNS | SECRET_COLUMNS  # secrets (and their fingerprints): never in an export
# (table, column) -> why it is kept when a member asks to be forgotten
KEPT = {
    ("slack_installations", "user_id"):
        "that you installed studybot in this workspace (removed when it is uninstalled)",
}


def member_columns(table: Table, *, kept: bool = False) -> list[Column]:
    """The columns naming a member; `kept` adds those forget-me keeps (my-data shows them too)."""
    return [column for column in table.c
            if is_member_column(column.name) and (kept or (table.name, column.name) not in KEPT)]


def is_member_column(name: str) -> bool:
    return name not in NOT_MEMBERS and (name == "user_id" or name.endswith("_user_id") or name in ROLE_COLUMNS)


def member_list_columns(table: Table) -> list[Column]:
    """JSON columns listing member ids (`…_users`); the rows belong to others, only the entries are theirs."""
    return [column for column in table.c if column.name.endswith("_users") and isinstance(column.type, JSON)]


async def rows_listing(session: AsyncSession, table: Table, column: Column, team_id: str, user_id: str) -> list[Any]:
    """Rows of `table` whose `column` list contains the member (filtered here: JSON lists differ by dialect)."""
    rows = (await session.execute(
        select(table).where(table.c.team_id == team_id, column.is_not(None))
    )).mappings().all()
    return [row for row in rows if user_id in (row[column.name] or [])]


def naming(table: Table, user_id: str, *, kept: bool = False) -> ColumnElement[bool] | None:
    """The condition "this row names the member" for one table, or None when it cannot."""
    conditions = [column == user_id for column in member_columns(table, kept=kept)]
    if table.name == OutboundMessage.__tablename__:
        conditions += [table.c.channel_id == user_id, table.c.key.like(f"%:{user_id}:%"),
                       table.c.key.like(f"%:{user_id}")]
    return or_(*conditions) if conditions else None


def tables_naming_members(*, kept: bool = False) -> list[Table]:
    """Children before parents, so deleting in this order never trips a foreign key."""
    return [t for t in reversed(Base.metadata.sorted_tables)
            if "team_id" in t.c and naming(t, "U", kept=kept) is not None]


async def rows_naming(session: AsyncSession, team_id: str, user_id: str) -> dict[str, list[dict[str, Any]]]:
    """Every stored row that names the member in this workspace, by table (tokens and their fingerprints left out)."""
    found: dict[str, list[dict[str, Any]]] = {}
    for table in tables_naming_members(kept=True):
        condition = naming(table, user_id, kept=True)
        assert condition is not None, "tables_naming_members keeps only the tables it can name"
        rows = (await session.execute(
            select(table).where(table.c.team_id == team_id, condition)
        )).mappings().all()
        if rows:
            found[table.name] = [{k: v for k, v in row.items() if k not in UNSHOWN} for row in rows]
    for table in Base.metadata.sorted_tables:
        for column in member_list_columns(table):
            listed = await rows_listing(session, table, column, team_id, user_id)
            if listed:
                key = f"{table.name}.{column.name}"
                found[key] = [{name: row[name] for name in table.primary_key.columns.keys()} for row in listed]
    return found

