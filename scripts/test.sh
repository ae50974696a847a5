#!/usr/bin/env bash
# Install (first run), lint and type-check (ruff, mypy: either failing stops the run), then run the whole
# suite: on SQLite, then on PostgreSQL when one is reachable.
#   STUDYBOT_TEST_POSTGRES   admin URL used to create a throw-away database
#                            (default postgresql://postgres@127.0.0.1:5432/postgres)
#   STUDYBOT_REQUIRE_POSTGRES=1  fail instead of skipping when PostgreSQL is not reachable (CI sets it)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh ".[test]"
PY=.venv/bin/python

echo "== lint and types"
"$PY" -m ruff check .
"$PY" -m mypy

echo "== test suite on SQLite"
STUDYBOT_TEST_DATABASE_URL= "$PY" -m pytest "$@"

echo "== benchmarks, quick: the harness runs end to end (its numbers are not judged here)"
"$PY" -m benchmarks --quick

admin_url="${STUDYBOT_TEST_POSTGRES:-postgresql://postgres@127.0.0.1:5432/postgres}"
if ! test_url=$("$PY" -m tests.pgdb create "$admin_url"); then
  if [ "${STUDYBOT_REQUIRE_POSTGRES:-0}" = "1" ]; then
    echo "PostgreSQL is required (STUDYBOT_REQUIRE_POSTGRES=1) but not reachable at $admin_url" >&2
    exit 1
  fi
  echo "== PostgreSQL not reachable at $admin_url: skipped the PostgreSQL run"
  exit 0
fi
trap '"$PY" -m tests.pgdb drop "$admin_url" "$test_url" || true' EXIT
echo "== test suite on PostgreSQL ($test_url)"
STUDYBOT_TEST_DATABASE_URL="$test_url" "$PY" -m pytest "$@"
