#!/usr/bin/env bash
# Install (first run) and start the bot. Settings come from the environment or .env.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh .
exec .venv/bin/studybot serve "$@"
