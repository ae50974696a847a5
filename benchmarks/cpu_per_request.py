"""CPU milliseconds per slash command of the `serve` process and of the bare app, read from /proc (Linux).

    python benchmarks/cpu_per_request.py [--quick] [--count 3000] [--folder DIR]

Steadier than requests/s on a busy machine: the load runs in its own process and only the server's
own CPU time (every thread: the event loop and the SQLite workers) is counted. The seeded database is
kept in DIR between runs (seeding the full size takes ~20 s). Also prints start-up and RSS.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks import processes, scenarios  # noqa: E402
from benchmarks.emulator_process import CHANNEL  # noqa: E402


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int, default=3000)
    parser.add_argument("--folder", default="/tmp/studybot-bench")
    options = parser.parse_args()
    size = scenarios.QUICK if options.quick else scenarios.FULL
    folder = Path(options.folder)
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / ("quick.db" if options.quick else "full.db")
    url = f"sqlite:///{database}"
    if not database.exists():
        asyncio.run(scenarios.seed(url, size))
    with processes.emulator() as emulator, processes.studybot(emulator["url"], url) as bot, \
            processes.bare_bolt(emulator["url"]) as bare:
        print(f"start-up: studybot {bot.started_in:.2f} s ({cpu_seconds(bot.process.pid):.2f} s CPU), "
              f"bare {bare.started_in:.2f} s ({cpu_seconds(bare.process.pid):.2f} s CPU)")
        spec = {"response_url": emulator["response_url"], "seconds": 120, "team": scenarios.TEAM, "channel": CHANNEL,
                "kind": "slash", "connections": 16, "users": size.members}
        for arg in ("help", "progress", "group"):
            figures = []
            for server in (bot, bare):
                processes.load({**spec, "arg": arg, "url": server.url, "count": 200})  # warm caches and pools
                before = cpu_seconds(server.process.pid)
                result = processes.load({**spec, "arg": arg, "url": server.url, "count": options.count})
                figures.append((cpu_seconds(server.process.pid) - before) * 1000 / result["sent"])
            print(f"/study {arg}: studybot {figures[0]:.2f} ms CPU per request, bare {figures[1]:.2f} ms")
        print(f"RSS after: studybot {bot.rss_mib:.1f} MiB, bare {bare.rss_mib:.1f} MiB")


if __name__ == "__main__":
    main()
