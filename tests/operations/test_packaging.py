"""Reproducible installs and the image: the locks match pyproject.toml, and the Docker image builds
(where a Docker engine is available: skipped with a message otherwise)."""
from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

ROOT = Path(__file__).parent.parent.parent
PIN = re.compile(r"^([A-Za-z0-9_.-]+)==([^ \\]+) \\\n    --hash=sha256:[0-9a-f]{64}$", re.M)


def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def pins(lock: str) -> dict[str, str]:
    text = (ROOT / lock).read_text()
    found = {name.lower().replace("_", "-"): version for name, version in PIN.findall(text)}
    assert len(found) == text.count("==") and found, f"{lock}: every line is name==version with one sha256"
    return found


@pytest.mark.parametrize("lock, extras", [("requirements.lock", []), ("requirements-test.lock", ["test"])])
def test_each_lock_pins_every_dependency_within_pyprojects_range(lock, extras):
    project = pyproject()["project"]
    wanted = [Requirement(r) for r in project["dependencies"]]
    for extra in extras:
        wanted += [Requirement(r) for r in project["optional-dependencies"][extra]]
    pinned = pins(lock)
    for requirement in wanted:
        name = requirement.name.lower().replace("_", "-")
        assert name in pinned, f"{lock} lacks {name}: run python scripts/lock.py"
        assert requirement.specifier.contains(pinned[name]), f"{lock}: {name}=={pinned[name]} not in {requirement}"


def test_every_dependency_caps_its_major_version():
    project = pyproject()["project"]
    for line in project["dependencies"] + project["optional-dependencies"]["test"]:
        requirement = Requirement(line)
        if requirement.name != "tzdata":  # calendar-versioned: a new year is not a breaking release
            assert any(s.operator == "<" for s in requirement.specifier), f"{line}: cap the major version"


def test_install_script_docker_image_and_ci_install_from_the_locks():
    install = (ROOT / "scripts/install.sh").read_text()
    assert "--require-hashes" in install and "requirements.lock" in install and "requirements-test.lock" in install
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.count("FROM ") == 2 and "scripts/install.sh" in dockerfile and "requirements.lock" in dockerfile
    assert "USER studybot" in dockerfile and "--chown=root:root" in dockerfile and "HEALTHCHECK" in dockerfile
    assert "scripts/test.sh" in (ROOT / ".github/workflows/ci.yml").read_text()


def test_compose_runs_postgres_a_one_shot_migration_and_two_replicas_behind_a_proxy():
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert services["migrate"]["command"] == ["studybot", "db", "upgrade"]
    replicas = [s for s in services.values() if isinstance(s.get("depends_on"), dict) and "migrate" in s["depends_on"]]
    assert len(replicas) == 2
    assert all(r["environment"]["STUDYBOT_AUTO_MIGRATE"] == "false" for r in replicas)
    assert "bot1:3000" in services["proxy"]["command"] and "bot2:3000" in services["proxy"]["command"]


def test_the_docker_image_builds():
    docker = shutil.which("docker")
    if docker is None or subprocess.run([docker, "info"], capture_output=True, timeout=30).returncode != 0:
        pytest.skip("no Docker engine here: `docker build` not tried (CI's image job builds it)")
    result = subprocess.run([docker, "build", "-q", "-t", "studybot-test", str(ROOT)],
                            capture_output=True, text=True, timeout=1200)
    assert result.returncode == 0, result.stderr[-2000:]
