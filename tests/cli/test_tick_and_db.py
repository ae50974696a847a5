"""`studybot tick` and `studybot db upgrade` as a cron job or an operator runs them."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

STUDYBOT = Path(sys.executable).parent / "studybot"


def studybot(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "SLACK_APP_TOKEN": "", "SLACK_BOT_TOKEN": "xoxb-test", **env}
    return subprocess.run([str(STUDYBOT), *args], cwd=cwd, env=environment, capture_output=True, text=True, timeout=60)


def test_tick_runs_due_jobs_once_and_says_what_it_ran(tmp_path):
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    assert studybot("db", "upgrade", cwd=tmp_path, DATABASE_URL=url).returncode == 0
    first = studybot("tick", "--now", "2026-03-03T10:00:00Z", cwd=tmp_path, DATABASE_URL=url)
    again = studybot("tick", "--now", "2026-03-03T10:05:00Z", cwd=tmp_path, DATABASE_URL=url)
    assert first.returncode == 0 and again.returncode == 0, first.stderr + again.stderr
    assert "ran     housekeeping global 2026-03-03" in first.stdout
    assert "housekeeping" not in again.stdout
    assert again.stdout.strip().endswith("0 occurrences handled")


def test_tick_never_migrates_and_refuses_an_old_schema_in_one_line(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    assert studybot("db", "upgrade", "--help", cwd=tmp_path).returncode == 0
    (tmp_path / "old.db").touch()  # an empty SQLite database (a missing file is refused before: test_database_url)
    result = studybot("tick", cwd=tmp_path, DATABASE_URL=url, STUDYBOT_AUTO_MIGRATE="true")
    assert result.returncode == 1
    assert result.stderr.strip() == ("studybot: the database schema is behind this version: run `studybot db upgrade`"
                                     f" first ({tmp_path / 'old.db'})")
    import sqlite3

    with sqlite3.connect(tmp_path / "old.db") as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    assert tables == []  # nothing was created behind the operator's back


def test_tick_refuses_a_malformed_now_in_one_line(tmp_path):
    result = studybot("tick", "--now", "next tuesday", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}")
    assert result.returncode == 1
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith("studybot: Expected an ISO-8601 instant")


def test_db_upgrade_brings_the_schema_to_every_head(tmp_path):
    import sqlite3

    from alembic.script import ScriptDirectory

    from bot.database import _alembic_config

    url = f"sqlite:///{tmp_path / 'bot.db'}"
    upgraded = studybot("db", "upgrade", cwd=tmp_path, DATABASE_URL=url)
    assert upgraded.returncode == 0 and "up to date" in upgraded.stdout
    with sqlite3.connect(tmp_path / "bot.db") as connection:
        versions = {row[0] for row in connection.execute("SELECT version_num FROM alembic_version")}
    assert versions == set(ScriptDirectory.from_config(_alembic_config(url)).get_heads())


def test_a_url_encoded_password_works_and_is_never_printed(tmp_path):
    """`%40` in a password broke Alembic's ini interpolation, and the error printed the password."""
    url = "postgresql://studybot:s3cr%40t@127.0.0.1:1/studybot"
    for args in (("db", "upgrade"), ("tick",)):
        result = studybot(*args, cwd=tmp_path, DATABASE_URL=url)
        assert result.returncode == 1, result.stderr
        assert "interpolation" not in result.stderr and "s3cr" not in result.stderr + result.stdout
        assert result.stderr.startswith("studybot: cannot open the database"), result.stderr
        assert result.stderr.strip().count("\n") == 0


def test_serve_refuses_an_old_schema_when_auto_migrate_is_off(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = studybot("serve", "--http", cwd=tmp_path, DATABASE_URL=url, STUDYBOT_AUTO_MIGRATE="false",
                      SLACK_SIGNING_SECRET="s", SLACK_API_URL="http://127.0.0.1:9/api/")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "studybot: the database schema is behind this version: run `studybot db upgrade` first"
        f" ({tmp_path / 'empty.db'})")


def test_serve_without_a_bot_token_names_the_variable(tmp_path):
    result = studybot("serve", cwd=tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}", SLACK_BOT_TOKEN="")
    assert result.returncode == 1
    assert result.stderr.strip() == "studybot: SLACK_BOT_TOKEN is not set: see .env.example"


def test_every_command_has_help(tmp_path):
    for args in (["--help"], ["serve", "--help"], ["tick", "--help"], ["db", "--help"], ["db", "upgrade", "--help"]):
        result = studybot(*args, cwd=tmp_path)
        assert result.returncode == 0 and "Usage: studybot" in result.stdout, args
