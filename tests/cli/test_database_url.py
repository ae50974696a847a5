"""Mistakes in `DATABASE_URL`, and the default database: one line naming the problem (never the password),
exit status 1, no traceback — for `db upgrade`, a command that reads the database, and `serve`."""
from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.cli.test_tick_and_db import studybot

PASSWORD = "s3cret-pw"
PG = ("127.0.0.1", 5432)


def _postgres_running() -> bool:
    try:
        socket.create_connection(PG, timeout=1).close()
        return True
    except OSError:
        return False


needs_postgres = pytest.mark.skipif(not _postgres_running(), reason="no PostgreSQL on 127.0.0.1:5432")


def assert_one_line(result, *expected: str) -> str:
    line = result.stderr.strip()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "\n" not in line and "Traceback" not in line, result.stderr
    assert line.startswith("studybot: ")
    assert PASSWORD not in result.stdout + result.stderr
    for words in expected:
        assert words in line, line
    return line


COMMANDS = [("db", "upgrade"), ("cohort", "list"), ("tick",)]


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///", "sqlite:///:memory:"])
def test_an_in_memory_or_fileless_sqlite_url_is_refused(tmp_path: Path, url: str, command: tuple) -> None:
    result = studybot(*command, cwd=tmp_path, DATABASE_URL=url)
    assert_one_line(result, "DATABASE_URL", "file")
    assert "up to date" not in result.stdout  # it used to migrate a database that vanished at once


@pytest.mark.parametrize("command", COMMANDS)
def test_a_sqlite_file_in_a_missing_folder_is_named(tmp_path: Path, command: tuple) -> None:
    missing = tmp_path / "no-such-folder" / "bot.db"
    result = studybot(*command, cwd=tmp_path, DATABASE_URL=f"sqlite:///{missing}")
    assert_one_line(result, str(missing.parent), "does not exist")


@pytest.mark.parametrize("command", [("cohort", "list"), ("tick",)])
def test_a_missing_sqlite_file_is_named_not_created(tmp_path: Path, command: tuple) -> None:
    result = studybot(*command, cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'bot.db'}")
    assert_one_line(result, str(tmp_path / "bot.db"), "studybot db upgrade")
    assert not (tmp_path / "bot.db").exists()


@needs_postgres
@pytest.mark.parametrize("command", COMMANDS)
def test_a_missing_postgresql_database_is_one_line(tmp_path: Path, command: tuple) -> None:
    url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:5432/studybot_no_such_db"
    line = assert_one_line(studybot(*command, cwd=tmp_path, DATABASE_URL=url), "studybot_no_such_db", "does not exist")
    assert "postgres:***@127.0.0.1" in line


@needs_postgres
@pytest.mark.parametrize("command", COMMANDS)
def test_a_wrong_postgresql_user_is_one_line(tmp_path: Path, command: tuple) -> None:
    url = f"postgresql://studybot_nobody:{PASSWORD}@127.0.0.1:5432/postgres"
    assert_one_line(studybot(*command, cwd=tmp_path, DATABASE_URL=url), "studybot_nobody")


def test_serve_refuses_a_fileless_sqlite_url_in_one_line(tmp_path: Path) -> None:
    result = studybot("serve", cwd=tmp_path, DATABASE_URL="sqlite://", SLACK_SIGNING_SECRET="x")
    assert_one_line(result, "DATABASE_URL")


def test_the_default_database_is_named_wherever_the_cli_runs(tmp_path: Path) -> None:
    """Without DATABASE_URL a command names the file it looked at, and creates no empty one there."""
    result = studybot("cohort", "list", cwd=tmp_path, DATABASE_URL="")
    assert_one_line(result, str(tmp_path / "studybot.db"), "studybot db upgrade")
    assert not (tmp_path / "studybot.db").exists()


def test_doctor_names_the_database_it_checked(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    assert studybot("db", "upgrade", cwd=tmp_path, DATABASE_URL=url).returncode == 0
    result = studybot("doctor", cwd=tmp_path, DATABASE_URL=url, SLACK_BOT_TOKEN="")
    assert f"database {tmp_path / 'bot.db'}: reachable and migrated" in result.stdout


def test_the_schema_message_names_the_database(tmp_path: Path) -> None:
    url = f"postgresql://postgres:{PASSWORD}@127.0.0.1:1/studybot"
    result = studybot("doctor", cwd=tmp_path, DATABASE_URL=url, SLACK_BOT_TOKEN="")
    assert "postgresql://postgres:***@127.0.0.1:1/studybot" in result.stdout
    assert PASSWORD not in result.stdout + result.stderr
