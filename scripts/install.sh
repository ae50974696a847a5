#!/usr/bin/env bash
# Create .venv (once) and install studybot into it from the hash-checked locks (scripts/lock.py makes them).
#   scripts/install.sh            the bot:            requirements.lock
#   scripts/install.sh ".[test]"  the bot and tests:  requirements-test.lock
# pip runs only when the lock, pyproject.toml or the argument changed since the last install (the code itself
# is installed editable), so a restart takes about a second and needs no network.
# STUDYBOT_EDITABLE=0 installs a copy of the code instead of a link to this checkout (the Docker image).
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-.}"
lock=requirements.lock
[[ "$target" == *"[test]"* ]] && lock=requirements-test.lock
if [ ! -x .venv/bin/python ]; then
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "studybot needs Python 3.11 or newer" >&2; exit 1; }
  python3 -m venv .venv
fi
stamp=.venv/studybot-installed
wanted="$(cat pyproject.toml "$lock" | cksum) $target ${STUDYBOT_EDITABLE:-1}"
if [ -x .venv/bin/studybot ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
.venv/bin/python -m pip install --quiet --require-hashes --no-deps -r "$lock"
if [ "${STUDYBOT_EDITABLE:-1}" = "1" ]; then
  .venv/bin/python -m pip install --quiet --no-deps -e "$target"
else
  .venv/bin/python -m pip install --quiet --no-deps "$target"
fi
printf '%s\n' "$wanted" > "$stamp"
