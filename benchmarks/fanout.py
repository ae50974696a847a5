"""Scenario 5 (issue 14): fan-out under Slack's rate limits, scaled in time.

Two workspaces, each with cohorts in week 3: every cohort's chapter-3 questions go out as prompts (one
channel per cohort) and every quiet member gets a nudge DM — 2,000 DMs and 500 prompts in all (full
size). The emulator runs as its own process enforcing Slack's limits `--scale` times faster
(tests/emulator/limits.py: posts 1 a second per channel, 300 a minute per workspace), with one slow
channel in the second workspace (each post to it answers late). The bot's real sending path runs
in-process: `tick` with the prompts and nudges jobs, `post_once`, the paced client (bot/pacing.py) with
the same scale.

Rows per workspace: posts/s achieved (the emulator's accepted posts over the time from the first to the
last) against posts/s allowed in that time (the burst plus the sustained rate, what the emulator would
have accepted at most), duplicates and losses by the posts' keys, and the 429s answered.

    python -m benchmarks.fanout [--quick] [--scale 5]         (also part of `python -m benchmarks`)
    python -m benchmarks.fanout --emulator SPEC               (the emulator process; the scenario starts it)
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert

from benchmarks import processes

TEAMS = {"T0FANOUTA": "xoxb-fanout-a", "T0FANOUTB": "xoxb-fanout-b"}
SLOW_TEAM = "T0FANOUTB"
WEEK = 3  # nudges start in week 3; the week's prompts go out at the same tick


@dataclass(frozen=True)
class World:
    """Per workspace: `cohorts` cohorts, each with its own channel, `questions` questions in chapter 3 and
    `members` quiet members (one nudge DM each)."""

    cohorts: int
    members: int
    questions: int
    scale: float = 5.0  # ×20 asks ~200 posts/s of the bot and the emulator: more than a busy 2-core machine gives
    slow_seconds: float = 0.5  # each post to the slow channel answers this late (in real seconds)

    def channel(self, team: str, n: int) -> str:
        return f"C{team[-1]}FAN{n:05d}"

    def user(self, team: str, n: int, m: int) -> str:
        return f"U{team[-1]}{n:03d}{m:05d}"


FULL = World(cohorts=25, members=40, questions=10)  # × 2 workspaces: 2,000 DMs, 500 prompts
QUICK = World(cohorts=3, members=10, questions=4)


def populate(emulator: Any, world: World, teams: dict[str, str]) -> None:
    """The emulator's side: each workspace's members and cohort channels."""
    for team, token in teams.items():
        workspace = emulator.workspaces.get(team) or emulator.add_workspace(team)
        emulator.tokens[token] = team
        for n in range(world.cohorts):
            users = {world.user(team, n, m) for m in range(world.members)}
            for user in users:
                workspace.add_user(user)
            workspace.add_channel(world.channel(team, n), f"fanout-{n}", members=users)


async def seed(db: Any, world: World, team: str, now: datetime) -> list[str]:
    """The bot's side: the cohorts in week 3 (a day in: nudges are due), questions, members who joined long
    ago and never answered. Returns the keys of every post the fan-out must make, exactly once each."""
    from bot.cohorts.store import create_cohort
    from bot.models import Question
    from bot.models.groups import GroupMember
    from bot.questionnaire.prompts import prompt_key
    from bot.retention.nudges import nudge_key

    start = now - timedelta(days=7 * (WEEK - 1) + 1, hours=1)
    keys = []
    async with db.session() as session:
        for n in range(world.cohorts):
            cohort = await create_cohort(session, team_id=team, name=f"fanout-{n}", channel_id=world.channel(team, n),
                                         timezone="UTC", start=start.strftime("%Y-%m-%d %H:%M"), now=start)
            cohort.prompts_per_day = None  # the week's questions all at once
            await session.execute(insert(Question), [
                {"team_id": team, "cohort_id": cohort.id, "chapter": WEEK, "position": p, "text": f"Question {p}?",
                 "retired": False, "imported_at": start} for p in range(1, world.questions + 1)])
            users = [world.user(team, n, m) for m in range(world.members)]
            await session.execute(insert(GroupMember), [
                {"team_id": team, "cohort_id": cohort.id, "user_id": u, "zone": "UTC", "joined_at": start}
                for u in users])
            keys += [prompt_key(cohort.id, WEEK, p) for p in range(1, world.questions + 1)]
            keys += [nudge_key(cohort.id, u, WEEK) for u in users]
    return keys


def jobs() -> list[Any]:
    from schedules.questionnaire import PostPrompts
    from schedules.retention import Nudges

    return [PostPrompts(), Nudges()]


def posted(emulator: Any, team: str) -> tuple[Counter[str], list[float]]:
    """The keys of the posts a workspace holds (from their metadata), and when each post was accepted."""
    keys: Counter[str] = Counter()
    for channel in emulator.workspaces[team].channels.values():
        for message in channel.messages.values():
            if key := ((message.metadata or {}).get("event_payload") or {}).get("key"):
                keys[key] += 1
    times = [c.at for c in emulator.calls_by(team) if c.method == "chat.postMessage" and (c.response or {}).get("ok")]
    return keys, times


def rates(limits: Any, times: list[float]) -> tuple[float, float]:
    """(achieved, allowed) posts per second from the first accepted post to the last."""
    from tests.emulator.limits import POST

    elapsed = max(times) - min(times) if len(times) > 1 else 0.0
    if elapsed <= 0:
        return 0.0, 0.0
    allowed = (limits.burst(POST) + limits.allowed_per_second(POST) * elapsed) / elapsed
    return len(times) / elapsed, allowed


# ---- the emulator process ----------------------------------------------------------------------------
async def serve_emulator(world: World) -> None:
    from aiohttp import web

    from tests.emulator import SlackEmulator

    emulator = SlackEmulator()
    await emulator.start()
    populate(emulator, world, TEAMS)
    limits = emulator.enforce_limits(scale=world.scale)
    emulator.slow_channels[world.channel(SLOW_TEAM, 0)] = world.slow_seconds

    async def stats(_request: web.Request) -> web.Response:
        report = {}
        for team in TEAMS:
            keys, times = posted(emulator, team)
            achieved, allowed = rates(limits, times)
            report[team] = {"keys": keys, "achieved": achieved, "allowed": allowed,
                            "429": sum(n for (t, _), n in limits.refused.items() if t == team)}
        return web.json_response(report)

    await serve_stats(emulator.url, stats)


async def serve_stats(api_url: str, stats: Any) -> None:
    """Serve `GET /_stats` with `stats`, print both URLs as a line of JSON, and serve until killed."""
    from aiohttp import web

    app = web.Application()
    app.router.add_get("/_stats", stats)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    print(json.dumps({"url": api_url, "stats": f"http://127.0.0.1:{runner.addresses[0][1]}/_stats"}), flush=True)
    await asyncio.Event().wait()


# ---- the scenario ----------------------------------------------------------------------------------------
async def send_all(database_url: str, api_url: str, world: World) -> tuple[dict[str, list[str]], float, float, int]:
    """Seed, then one tick of the prompts and nudges jobs through the paced clients; the keys per workspace,
    the seconds the tick took (wall, and CPU of this process) and how many calls had to wait their turn."""
    from bot.clock import SystemClock
    from bot.database import Database, upgrade
    from bot.pacing import Pacer, Timeline
    from bot.scheduling import JobContext, tick
    from bot.slack_client import make_client

    await upgrade(database_url)
    db = Database(database_url)
    now = datetime.now(UTC)
    expected = {team: await seed(db, world, team, now) for team in TEAMS}
    timeline = Timeline(SystemClock(), asyncio.sleep)
    pacer = Pacer(timeline, scale=world.scale)
    clients = {team: make_client(token, api_url, sleep=timeline.sleep, pacer=pacer) for team, token in TEAMS.items()}
    ctx = JobContext(db, clients.__getitem__, clock=SystemClock(), sleep=timeline.sleep)
    began, cpu = time.perf_counter(), time.process_time()
    results = await tick(db, jobs(), ctx)
    took, cpu = time.perf_counter() - began, time.process_time() - cpu
    failed = [r.line() for r in results if r.outcome != "ran"]
    if failed:
        print("\n".join(failed[:5]), file=sys.stderr)
    await db.dispose()
    return expected, took, cpu, pacer.waits


def scenario(quick: bool, scale: float | None = None) -> list[Any]:
    from benchmarks.scenarios import Aim, Row

    world = QUICK if quick else FULL
    if scale:
        world = World(**{**asdict(world), "scale": scale})
    command = [sys.executable, "-m", "benchmarks.fanout", "--emulator", json.dumps(asdict(world))]
    emulator = subprocess.Popen(command, cwd=processes.ROOT, env=processes._env(), stdout=subprocess.PIPE, text=True)
    try:
        urls = json.loads(emulator.stdout.readline())  # type: ignore[union-attr]
        # In memory-backed storage when there is some: the scenario measures pacing, not this VM's fsync.
        with tempfile.TemporaryDirectory(dir="/dev/shm" if os.path.isdir("/dev/shm") else None) as folder:
            expected, took, cpu, waits = asyncio.run(send_all(f"sqlite:///{folder}/fanout.db", urls["url"], world))
        stats = processes.emulator_stats(urls)
    finally:
        processes._stop(emulator)
    rows = []
    for team, keys in expected.items():
        seen = Counter(stats[team]["keys"])
        name = f"fan-out {team}" + (" (one slow channel)" if team == SLOW_TEAM else "")
        rows += [
            Row(name, f"posts/s achieved vs allowed (×{world.scale:g} time)", round(stats[team]["achieved"], 1),
                round(stats[team]["allowed"], 1), aim=None if quick else Aim(0.9)),
            Row(name, "duplicates / losses / 429s", f"{sum(n - 1 for n in seen.values() if n > 1)} / "
                f"{len(set(keys) - set(seen))} / {stats[team]['429']}", better="lower", aim=Aim(of="zeros")),
        ]
    posts = sum(map(len, expected.values()))
    rows.append(Row("fan-out", f"{posts} posts: wall s / CPU ms per post / calls that waited their turn",
                    f"{took:.1f} s / {1000 * cpu / posts:.1f} ms / {waits}", better="lower"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fanout", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--scale", type=float, help="Slack's time runs this many times faster (default 5)")
    parser.add_argument("--emulator", metavar="WORLD", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.emulator:
        asyncio.run(serve_emulator(World(**json.loads(options.emulator))))
        return 0
    from benchmarks.__main__ import table

    print(table(scenario(options.quick, options.scale)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
