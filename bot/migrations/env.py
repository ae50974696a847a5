"""Alembic environment: runs migrations through the same async drivers the bot uses."""
from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy import Connection, text
from sqlalchemy.ext.asyncio import create_async_engine

from bot.database import async_url
from bot.models import Base

target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


# Replicas starting together migrate one after the other: the lock is held until this transaction
# commits, and the next one then finds the schema current.
MIGRATION_LOCK = 8_151_915_000  # any constant unique to studybot


async def _run_async(url: str) -> None:
    engine = create_async_engine(async_url(url))
    async with engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            await connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        await connection.run_sync(_run)
    await engine.dispose()


# The URL travels as an attribute, not an ini option: ini interpolation chokes on a `%40` in a password.
url = context.config.attributes.get("url") or context.config.get_main_option("sqlalchemy.url")
if context.is_offline_mode():
    context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    assert url, "bot/database.py passes the URL"
    asyncio.run(_run_async(url))
