"""scripts/install.sh runs pip once, then again only when pyproject.toml, the lock (or what to install) changes:
a restart of scripts/serve.sh starts at once and works offline. A stand-in venv records the pip calls."""
from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).parents[2]


def checkout(tmp_path: Path) -> Path:
    """A copy of the scripts and pyproject, with a .venv whose python only logs what it is asked."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "install.sh", tmp_path / "scripts" / "install.sh")
    for name in ("pyproject.toml", "requirements.lock", "requirements-test.lock"):
        shutil.copy(ROOT / name, tmp_path / name)
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name, body in (("python", 'echo "$*" >> "$(dirname "$0")/../pip.log"'), ("studybot", "exit 0")):
        (bin_dir / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_dir / name).chmod(0o755)
    return tmp_path


def install(root: Path, *args: str) -> list[str]:
    subprocess.run(["bash", str(root / "scripts" / "install.sh"), *args], check=True, env=os.environ.copy())
    log = root / ".venv" / "pip.log"
    return log.read_text().splitlines() if log.exists() else []


def test_pip_runs_once_then_only_when_the_project_changes(tmp_path):
    root = checkout(tmp_path)
    assert install(root) == ["-m pip install --quiet --require-hashes --no-deps -r requirements.lock",
                             "-m pip install --quiet --no-deps -e ."]
    started = time.monotonic()
    assert len(install(root)) == 2  # a restart: no pip, so no network
    assert time.monotonic() - started < 1.0
    assert len(install(root, ".[test]")) == 4  # something else to install
    (root / "pyproject.toml").write_text((root / "pyproject.toml").read_text() + "\n# a new dependency\n")
    assert len(install(root, ".[test]")) == 6
    (root / "requirements-test.lock").write_text((root / "requirements-test.lock").read_text() + "\n# relocked\n")
    assert len(install(root, ".[test]")) == 8


def test_the_license_is_an_spdx_string():
    """A TOML table makes setuptools print deprecation warnings on every install."""
    import tomllib

    assert tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["license"] == "Apache-2.0"
