#!/usr/bin/env bash
# Create .venv (once) and install studybot into it. The argument says what to install (default ".",
# e.g. ".[test]"). pip runs only when pyproject.toml or the argument changed since the last install
# (the code itself is installed editable), so a restart takes about a second and needs no network.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:-.}"
if [ ! -x .venv/bin/python ]; then
  python3 -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "studybot needs Python 3.11 or newer" >&2; exit 1; }
  python3 -m venv .venv
fi
stamp=.venv/studybot-installed
wanted="$(cksum < pyproject.toml) $target"
if [ -x .venv/bin/studybot ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
  exit 0
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e "$target"
printf '%s\n' "$wanted" > "$stamp"
