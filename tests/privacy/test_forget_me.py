"""Forget-me removes every row that names the member, in their workspace, and nothing else.

The walk is generic over `Base.metadata`, so tables added later are covered by the naming convention
in bot/privacy/records.py, which this test enforces:
  * a column holding a member's Slack id is named `user_id`, `…_user_id`, or a person role in
    ROLE_COLUMNS (`asker_id`, `voter_id`, `author_id`, `requester_id`) — never anything else;
  * a JSON list of member ids is named `…_users`;
  * a row naming a member that must survive forget-me is listed in KEPT with the reason shown to them.
A new table that stores a member under another name fails `test_every_column_holding_a_member_follows_the_convention`.
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.forgotten import member_hash
from bot.models import Base, OutboundMessage
from bot.privacy.forget import forget_member
from bot.privacy.records import KEPT, is_member_column, member_columns, member_list_columns
from tests.emulator.state import TEAM_ID
from tests.privacy.rows import NOW, insert_row

FORGET, KEEP, OTHER_TEAM = "U0FORGET01", "U0KEEP0001", "T0OTHER002"
# Columns that hold a Slack *user* id but are not members (the bot) — everything else matching
# these suffixes must be a member column.
PERSON_SUFFIXES = ("user_id", "asker_id", "voter_id", "author_id", "requester_id", "member_id", "_users", "organizers")


def member_tables() -> list:  # type: ignore[type-arg]
    """Tables with a member column (kept ones included) or a member list."""
    return [t for t in Base.metadata.sorted_tables
            if "team_id" in t.c and (any(is_member_column(c.name) for c in t.c) or member_list_columns(t))]


async def populate(db) -> None:  # type: ignore[no-untyped-def]
    """For every member table: a row naming FORGET, one naming KEEP, and one naming FORGET in another
    workspace (the same id there is another person); plus messages sent to each of them."""
    parents: dict[tuple[str, str], Any] = {}
    async with db.session() as session:
        for table in Base.metadata.sorted_tables:  # rows naming nobody, in both workspaces: must all survive
            if table not in member_tables():
                for team_id in (TEAM_ID, OTHER_TEAM):
                    await insert_row(session, table, team_id, None, parents)
        for table in member_tables():
            for team_id, member in ((TEAM_ID, FORGET), (TEAM_ID, KEEP), (OTHER_TEAM, FORGET)):
                await insert_row(session, table, team_id, member, parents)
            if member_list_columns(table):  # someone else's row whose list also names FORGET
                row = await insert_row(session, table, TEAM_ID, KEEP, parents)
                key = [table.c[k] == row[k] for k in table.primary_key.columns.keys()]
                await session.execute(table.update().where(*key).values(
                    {c.name: [KEEP, FORGET] for c in member_list_columns(table)}))
        for team_id, member in ((TEAM_ID, FORGET), (TEAM_ID, KEEP), (OTHER_TEAM, FORGET)):
            for key, channel in ((f"welcome:{member}", "C0STUDY001"), (f"dm:{member}:1", member),
                                 (f"groups:welcome:7:{member}:99", "G1")):
                await session.execute(OutboundMessage.__table__.insert().values(
                    team_id=team_id, key=key, channel_id=channel, status="sent", attempts=1,
                    claimed_at=insert_row.__globals__["NOW"]))


async def snapshot(db) -> dict[str, list[dict[str, Any]]]:  # type: ignore[no-untyped-def]
    """Every row, but the inbox's record of the requests themselves (written before each ack, refused ones too)."""
    async with db.session() as session:
        return {t.name: [dict(r) for r in (await session.execute(select(t))).mappings().all()
                         if t.name != "processed_events" or r["kind"] is None]
                for t in Base.metadata.sorted_tables}


def names_member(table, row: dict[str, Any], *, in_lists: bool = True,  # type: ignore[no-untyped-def]
                 member: str = FORGET, team_id: str = TEAM_ID) -> bool:
    """Independent of the code under test: any value that is, lists, or contains as a part, the member.
    (`organizers` is a role, reported and kept: see bot/privacy/forget.py.)"""
    if row.get("team_id") != team_id:
        return False
    for name, value in row.items():
        if (table.name, name) in KEPT or name == "organizers":
            continue
        if value == member or (in_lists and isinstance(value, list) and member in value):
            return True
        if isinstance(value, str) and member in value.replace(":", " ").split():
            return True
    return False


# Whose rows the walk counts: the member forgotten, another member, and the same id in another workspace.
PEOPLE = {"member": (FORGET, TEAM_ID), "another member": (KEEP, TEAM_ID), "same id elsewhere": (FORGET, OTHER_TEAM)}


Rows = dict[str, list[dict[str, Any]]]


def walk(before: Rows, after: Rows) -> dict[str, dict[str, tuple[int, int]]]:
    """Per table and person in PEOPLE: (rows naming them before, after)."""
    return {table.name: {who: tuple(sum(names_member(table, row, member=member, team_id=team) for row in rows)
                                     for rows in (before[table.name], after[table.name]))
                         for who, (member, team) in PEOPLE.items()}
            for table in Base.metadata.sorted_tables}


def expected_after(table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    """Rows naming the member directly are gone; rows only listing them lose the entry; the rest stay as they were."""
    lists = [c.name for c in member_list_columns(table)]
    kept = []
    for row in rows:
        if not names_member(table, row):
            kept.append(row)
        elif not names_member(table, row, in_lists=False):
            kept.append({**row, **{c: [m for m in row[c] if m != FORGET] for c in lists}})
    return kept


def test_every_column_holding_a_member_follows_the_convention():
    for table in Base.metadata.sorted_tables:
        for column in table.c:
            if column.name.endswith(PERSON_SUFFIXES) and column.name != "bot_user_id":
                covered = (is_member_column(column.name) or column in member_list_columns(table)
                           or (table.name, column.name) in KEPT or column.name == "organizers")
                assert covered, f"{table.name}.{column.name} looks like a member id: name it user_id / …_users"


async def test_forget_me_removes_every_row_naming_the_member_and_nothing_else(bot):
    await populate(bot.db)
    before = await snapshot(bot.db)
    forgotten = await forget_member(bot.db, TEAM_ID, FORGET, NOW)
    after = await snapshot(bot.db)

    remembered = [row for row in after["forgotten_members"] if row not in before["forgotten_members"]]
    assert [(row["team_id"], row["member_hash"], row["forgotten_at"]) for row in remembered] == [
        (TEAM_ID, member_hash(TEAM_ID, FORGET), NOW)]  # only a hash, to keep them forgotten
    after["forgotten_members"] = before["forgotten_members"]
    for table in Base.metadata.sorted_tables:
        key = lambda row: repr(sorted(row.items()))  # noqa: E731
        assert sorted(map(key, after[table.name])) == sorted(map(key, expected_after(table, before[table.name]))), \
            table.name
    counts = walk(before, after)
    assert all(tables["member"][1] == 0 for tables in counts.values()), counts
    assert all(tables[who][0] == tables[who][1] for tables in counts.values() for who in PEOPLE if who != "member")
    assert sum(tables["member"][0] for tables in counts.values()) > len(member_tables())
    assert set(forgotten.deleted) >= {t.name for t in member_tables() if member_columns(t)}
    assert forgotten.kept == [KEPT[("slack_installations", "user_id")]]
    assert len(after["slack_installations"]) == len(before["slack_installations"]) == 3
