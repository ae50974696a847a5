"""The migrations build exactly the schema the models describe (no drift, one head)."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import create_async_engine

from bot.database import _alembic_config, async_url
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
