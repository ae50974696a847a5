"""Engine, sessions and migrations.

Users write plain `sqlite:///…` or `postgresql://…` URLs; the async drivers
(aiosqlite, asyncpg) are an implementation detail chosen here.
"""
from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from bot.clock import Clock, SystemClock
from bot.errors import StudyError
from bot.settings import mask_url

if TYPE_CHECKING:  # imported where it is used: alembic is slow to import and most commands never need it
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SQLITE_POOL_SIZE = 20  # connections kept open (each is a thread and a small page cache)
SQLITE_CACHE_KIB = 512  # each connection's page cache


def async_url(url: str) -> str:
    """`sqlite:///x.db` → `sqlite+aiosqlite:///x.db`, `postgresql://` → `postgresql+asyncpg://`."""
    parsed = make_url(url.replace("postgres://", "postgresql://", 1))
    backend = parsed.get_backend_name()
    driver = {"sqlite": "aiosqlite", "postgresql": "asyncpg"}[backend]
    return parsed.set(drivername=f"{backend}+{driver}").render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


class Database:
    """One engine and session factory per process; handed to every layer that needs it."""

    def __init__(self, url: str, clock: Clock | None = None) -> None:
        self.url = url
        # The runtime's clock (set by Runtime): leases and claims are stamped with the moment they are
        # taken, however long ago the caller computed its own `now`.
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.engine: AsyncEngine = _make_engine(url)
        self.sessions = async_sessionmaker(self.engine, expire_on_commit=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A unit of work: commits on success, rolls back on error."""
        async with self.sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise

    def reading_in(self, session: AsyncSession) -> Database:
        """This database with every `session()` being `session`: readers that each open their own (the App
        Home's sections) gather in one transaction, paying one checkout and one commit instead of one each."""
        return _OneSession(self, session)

    async def ping(self) -> bool:
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
            return True
        except Exception:  # health checks report, never raise
            return False

    async def dispose(self) -> None:
        await self.engine.dispose()


class _OneSession(Database):
    """`Database.reading_in`. For readers run one after another (an AsyncSession is not for concurrent use); an
    error leaves the shared session to its owner, who closes it without a commit."""

    def __init__(self, db: Database, session: AsyncSession) -> None:  # shares `db`'s engine: no engine of its own
        self.url, self.clock, self.engine, self.sessions = db.url, db.clock, db.engine, db.sessions
        self.shared = session

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        yield self.shared


def _make_engine(url: str) -> AsyncEngine:
    if is_sqlite(url):
        # Enough connections kept for a burst of requests: with the default 5, every request past the
        # fifth opened and closed a connection of its own (a thread, a file, three PRAGMAs) — most of a
        # `/study` command's cost under load.
        engine = create_async_engine(async_url(url), connect_args={"timeout": 30},
                                     pool_size=SQLITE_POOL_SIZE, max_overflow=SQLITE_POOL_SIZE)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(async_url(url), pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:  # a DBAPI connection: untyped by design
    # WAL lets `studybot tick` from cron and `serve` share one file without
    # "database is locked" on every read; busy_timeout waits for writers.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    # Each pooled connection keeps its own page cache (2 MiB by default, x20 connections); the operating
    # system caches the file for all of them, so a small one per connection costs little and saves ~30 MiB.
    cursor.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cursor.close()


def _alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["url"] = url  # never through set_main_option: `%` in a password is not interpolation
    return config


def upgrade_sync(url: str, revision: str = "heads") -> None:
    from alembic import command

    command.upgrade(_alembic_config(url), revision)


async def upgrade(url: str) -> None:
    """Alembic is synchronous; run it off the event loop."""
    await asyncio.to_thread(upgrade_sync, url)


SCHEMA_BEHIND = "the database schema is behind this version: run `studybot db upgrade` first"


async def require_current_schema(db: Database) -> None:
    """Commands other than `db upgrade` and `serve` never migrate (cron's `tick` included): they refuse."""
    if await pending_migrations(db):
        raise ValueError(f"{SCHEMA_BEHIND} ({database_name(db.url)})")


def database_name(url: str) -> str:
    """The database a message is about: a SQLite file's path, else the URL without its password."""
    return sqlite_file(url) or mask_url(url)


def sqlite_file(url: str) -> str | None:
    return make_url(url).database if is_sqlite(url) else None


def require_sqlite_file(url: str) -> None:
    """Commands that don't migrate refuse a SQLite file that isn't there, rather than create an empty one."""
    path = sqlite_file(url)
    if path and not Path(path).exists():
        raise StudyError(f"no database at {path}: create it with `studybot db upgrade`, or set DATABASE_URL "
                         "to the one you use")


async def database_problem(db: Database) -> str | None:
    """Why the database can't be opened, in one line naming it (never its password); None when it opens."""
    reason = await why_unopenable(db)
    return f"cannot open the database {database_name(db.url)}: {reason}" if reason else None


async def why_unopenable(db: Database) -> str | None:
    """The driver's reason the database can't be opened (`database "x" does not exist`); None when it opens."""
    try:
        async with db.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except (DBAPIError, OSError) as error:
        return _reason(error)
    return None


def _reason(error: Exception) -> str:
    cause = getattr(error, "orig", None) or error
    reason = (getattr(cause, "strerror", None) or str(cause)).strip().splitlines()[0] if str(cause).strip() else ""
    return re.sub(r"^<class '[\w.]+'>: ", "", reason) or type(cause).__name__


_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*(?:['\"]([^'\"]+)['\"]|None)\s*$", re.MULTILINE)


def code_heads() -> frozenset[str] | None:
    """The head revisions of the migrations, read as text (importing alembic and loading every migration
    costs ~0.3 s of each start); None when a file doesn't read plainly, and alembic must say."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(source), _DOWN_REVISION.search(source)
        if revision is None or down is None:
            return None
        revisions.add(revision[1])
        if down[1]:
            parents.add(down[1])
    return frozenset(revisions - parents) or None


async def schema_is_current(db: Database) -> bool:
    """True when the database is at exactly the code's heads: `serve` then starts without alembic.
    False means "ask alembic" (behind, ahead, a fresh database, or migrations that don't read plainly)."""
    heads = code_heads()
    if heads is None:
        return False
    try:
        async with db.engine.connect() as connection:
            versions = await connection.execute(text("SELECT version_num FROM alembic_version"))
            current: set[str] = set(versions.scalars())
    except DBAPIError:  # no alembic_version table yet: a fresh database
        return False
    return current == heads


async def pending_migrations(db: Database) -> bool:
    """True when the schema is behind the code (used when auto-migrate is off)."""
    if await schema_is_current(db):
        return False
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(_alembic_config(db.url))
    async with db.engine.connect() as connection:
        current = await connection.run_sync(
            lambda sync: set(MigrationContext.configure(sync).get_current_heads())
        )
    return current != set(script.get_heads())
