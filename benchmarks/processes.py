"""Starting what a benchmark measures as separate processes: the Slack emulator, studybot, the bare app, the load."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# A folder here makes every studybot server sampled by py-spy (attached once it is healthy, detached before
# it stops): one folded-stacks file per server, read with `python -m benchmarks.profile FILE`. Only the
# thread holding the GIL is sampled (`--gil`): the Python work, not the driver threads waiting for theirs.
PROFILE = os.environ.get("STUDYBOT_BENCH_PROFILE")
SECRET = "bench-signing-secret"
TOKEN = "xoxb-bench-token"


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    started_in: float  # seconds from the process start to the first /healthz 200

    @property
    def rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return float("nan")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Bytecode as a deployed install has it: written once (here, outside the work tree) and read by every later
# start. With PYTHONDONTWRITEBYTECODE set, as on this machine, studybot's ~250 modules were compiled from source
# at every start while the bare app's dependencies came with their bytecode from pip: start-up compared a
# compile with an import.
PYCACHE = Path(tempfile.gettempdir()) / "studybot-bench-pycache"
_WARMED: set[str] = set()


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("SLACK_", "STUDYBOT_", "DATABASE_URL")) and k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return {**env, **extra}


@contextmanager
def emulator() -> Iterator[dict[str, str]]:
    process = subprocess.Popen([sys.executable, "-m", "benchmarks.emulator_process"], cwd=ROOT, env=_env(),
                               stdout=subprocess.PIPE, text=True)
    try:
        yield json.loads(process.stdout.readline())
    finally:
        _stop(process)


def emulator_stats(urls: dict[str, str]) -> dict[str, Any]:
    with urllib.request.urlopen(urls["stats"], timeout=10) as response:
        return json.loads(response.read())


@contextmanager
def studybot(api_url: str, database_url: str) -> Iterator[Server]:
    port = free_port()
    env = _env(SLACK_BOT_TOKEN=TOKEN, SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=api_url, DATABASE_URL=database_url,
               LOG_LEVEL="WARNING", STUDYBOT_TICK_SECONDS="3600", PORT=str(port),
               # This emulator enforces no rate limits: pace 1,000× faster, out of the measured request path.
               STUDYBOT_SLACK_RATE_SCALE="1000")
    command = [sys.executable, "-c", "from bot.main.cli import main; main()", "serve", "--http", "--port", str(port)]
    with _server(command, env, port) as server, _sampled(server, f"serve-{port}"):
        yield server


@contextmanager
def _sampled(server: Server, name: str) -> Iterator[None]:
    if not PROFILE:
        yield
        return
    Path(PROFILE).mkdir(parents=True, exist_ok=True)
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    sampler = subprocess.Popen([spy, "record", "--pid", str(server.process.pid), "--format", "raw", "--rate",
                                "200", "--nonblocking", "--gil", "-o", str(Path(PROFILE) / f"{name}.folded")],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield
    finally:
        sampler.send_signal(signal.SIGINT)  # py-spy writes its file on an interrupt
        sampler.wait(timeout=60)


@contextmanager
def bare_bolt(api_url: str) -> Iterator[Server]:
    port = free_port()
    command = [sys.executable, "-m", "benchmarks.bare_app", str(port), SECRET, api_url]
    with _server(command, _env(), port) as server:
        yield server


def _warm(modules: str) -> None:
    """Import what a server imports once, untimed, so its bytecode is written before the timed start."""
    if modules not in _WARMED:
        subprocess.run([sys.executable, "-c", f"import {modules}"], cwd=ROOT, env=_env(), check=True, timeout=300)
        _WARMED.add(modules)


@contextmanager
def _server(command: list[str], env: dict[str, str], port: int) -> Iterator[Server]:
    _warm("benchmarks.bare_app" if "benchmarks.bare_app" in command else
          "bot.main.cli, bot.main.app, bot.main.server, bot.main.cli.serve, handlers, schedules")
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    try:
        started_in = _wait_healthy(process, port, began)
        yield Server(process, f"http://127.0.0.1:{port}/slack/events", started_in)
    finally:
        _stop(process)


def _wait_healthy(process: subprocess.Popen, port: int, began: float, timeout: float = 60.0) -> float:
    while time.perf_counter() - began < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"{process.args[:3]} exited with {process.returncode} before it was healthy")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1) as response:
                if response.status == 200:
                    return time.perf_counter() - began
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"{process.args[:3]} not healthy within {timeout:.0f} s")


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def load(spec: dict[str, Any]) -> dict[str, Any]:
    """Run the load generator in its own process and return what it measured."""
    spec = {"secret": SECRET, **spec}
    done = subprocess.run([sys.executable, "-m", "benchmarks.load", json.dumps(spec)], cwd=ROOT, env=_env(),
                          capture_output=True, text=True, check=True, timeout=spec["seconds"] + 120)
    return json.loads(done.stdout)
