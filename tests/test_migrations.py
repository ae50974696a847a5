"""The migrations build exactly the schema the models describe (no drift, one head)."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

from bot.database import Database, _alembic_config, async_url, code_heads, pending_migrations, schema_is_current
from bot.models import Base


def test_one_linear_history():
    script = ScriptDirectory.from_config(_alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1


async def test_migrated_schema_matches_the_models(database_url):
    engine = create_async_engine(async_url(database_url))
    async with engine.connect() as connection:
        diff = await connection.run_sync(lambda sync: compare_metadata(MigrationContext.configure(sync), Base.metadata))
    await engine.dispose()
    assert diff == []


def test_the_heads_read_as_text_are_alembics():
    """`serve` starts without alembic when the database is at these heads: they must be alembic's own."""
    script = ScriptDirectory.from_config(_alembic_config("sqlite://"))
    assert code_heads() == frozenset(script.get_heads())


async def test_a_migrated_database_is_current_and_a_fresh_one_is_not(database_url, tmp_path):
    migrated, fresh = Database(database_url), Database(f"sqlite:///{tmp_path}/fresh.db")
    try:
        assert await schema_is_current(migrated)
        assert not await schema_is_current(fresh)
        assert await pending_migrations(fresh)
    finally:
        await migrated.dispose()
        await fresh.dispose()
