"""Create or drop a throw-away PostgreSQL database for one test run.

    python -m tests.pgdb create ADMIN_URL      # prints the new database's URL
    python -m tests.pgdb drop ADMIN_URL DB_URL
"""
from __future__ import annotations

import asyncio
import sys
import uuid

from sqlalchemy.engine import make_url


async def _admin(admin_url: str, statement: str) -> None:
    import asyncpg

    url = make_url(admin_url)
    connection = await asyncpg.connect(
        user=url.username, password=url.password, host=url.host or "127.0.0.1", port=url.port or 5432,
        database=url.database or "postgres", timeout=5,
    )
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def create(admin_url: str) -> str:
    name = f"studybot_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(admin_url, f'CREATE DATABASE "{name}"'))
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop(admin_url: str, db_url: str) -> None:
    name = make_url(db_url).database
    if name and name.startswith("studybot_test_"):
        asyncio.run(_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    try:
        if sys.argv[1] == "create":
            print(create(sys.argv[2]))
        else:
            drop(sys.argv[2], sys.argv[3])
    except (OSError, Exception) as error:  # noqa: BLE001 - one line for the shell script
        print(f"pgdb: {error}", file=sys.stderr)
        sys.exit(1)
