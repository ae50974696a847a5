"""The `scale` scenario (issue 26): a cohort at full size in week 20 (`scale_seed`), on SQLite and PostgreSQL.

- the seed's wall time (bulk Core inserts);
- `/study progress` and `/study group` at 16 connections against the full-size cohort and against the small
  seed of the other scenarios (`scenarios.seed`), in one run: the aim is the full size's p99 ≤ 1.5× the small's;
- the weekly report (numbers + PNG), the digest (database → blocks) and `studybot answers export --all --json`
  (every answer, streamed): seconds each, and the export's peak RSS against exporting one member's answers;
- a week-open tick (week announcement, chapter 20's prompts, 5,000 planning DMs) through the paced client
  against an emulator enforcing Slack's limits `SCALE`× faster: posts/s against Slack's allowance, CPU per post.

    python -m benchmarks --only scale [--quick] [--database-url postgresql://…]
    python -m benchmarks.scale --emulator MEMBERS     (the rate-limited emulator; the scenario starts it)
"""
from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from typing import Any

from benchmarks import processes, scale_seed
from benchmarks.emulator_process import CHANNEL, PROMPT_TS
from benchmarks.scenarios import FULL, QUICK, Aim, Row, Size, _median, seed

SCALE = 20.0  # Slack's time runs this many times faster for the week-open tick


def scenario(quick: bool, database_urls: list[str]) -> list[Row]:
    rows: list[Row] = []
    size, small = (scale_seed.QUICK, QUICK) if quick else (scale_seed.FULL, FULL)
    with tempfile.TemporaryDirectory() as folder:
        small_url = f"sqlite:///{folder}/small.db"
        asyncio.run(seed(small_url, small))
        for url in database_urls or [f"sqlite:///{folder}/scale.db"]:
            kind = url.split(":")[0].split("+")[0]
            began = time.perf_counter()
            counts = asyncio.run(scale_seed.seed_scale(url, size, CHANNEL, PROMPT_TS))
            asyncio.run(_direct_channels(url, size))
            rows.append(Row(f"scale ({kind}): seed", f"{counts['answers']:,} answers, {counts['share_posts']:,} posts, "
                            f"{counts['ama_votes']:,} votes: seconds", round(time.perf_counter() - began, 1),
                            better="lower"))
            rows += _commands(kind, url, small_url, small, size)
            rows += _reads(kind, url)
            rows += _week_open(kind, url, size, quick)
    return rows


def _commands(kind: str, url: str, small_url: str, small: Size, size: scale_seed.ScaleSize) -> list[Row]:
    rows = []
    with processes.emulator() as emulator, processes.studybot(emulator["url"], url) as big, \
            processes.studybot(emulator["url"], small_url) as little:
        base = {"response_url": emulator["response_url"], "seconds": small.seconds, "team": scale_seed.TEAM,
                "channel": CHANNEL, "kind": "slash", "connections": 16}
        for arg in ("progress", "group"):
            mine, theirs = [], []
            for n in range(small.rounds):
                mine.append(processes.load({**base, "arg": arg, "users": size.members, "url": big.url, "run": f"s{n}"}))
                theirs.append(processes.load({**base, "arg": arg, "users": small.members, "url": little.url,
                                              "run": f"m{n}"}))
            name = f"scale ({kind}): /study {arg} (16 conn.)"
            rows.append(Row(name, "requests/s: full-size cohort vs small seed", _median(mine, "rps"),
                            _median(theirs, "rps")))
            rows.append(Row(name, "p99 ms: full-size cohort vs small seed", _median(mine, "p99_ms"),
                            _median(theirs, "p99_ms"), better="lower", aim=Aim(1.5)))
        rows.append(Row(f"scale ({kind}): memory", "serve RSS MiB after the commands: full size vs small",
                        round(big.rss_mib, 1), round(little.rss_mib, 1), better="lower"))
    return rows


def _reads(kind: str, url: str) -> list[Row]:
    """The report, the digest and the export, each in a process of its own (as the CLI runs them)."""
    timed = json.loads(_python("-m", "benchmarks.scale", "--timings", url).stdout)
    rows = [Row(f"scale ({kind}): weekly report", f"seconds: numbers + PNG (the numbers alone "
                f"{timed['numbers']:.2f} s)", timed["report"], better="lower", aim=Aim(2, "value")),
            Row(f"scale ({kind}): digest", "seconds: database → blocks", timed["digest"], better="lower",
                aim=Aim(2, "value"))]
    with tempfile.TemporaryFile() as sink:
        everything = _cli_measured(url, ["answers", "export", "--all", "--json"], sink)
        sink.seek(0)
        lines = sum(1 for line in sink if line.startswith(b'{"user"'))
    one = _cli_measured(url, ["answers", "export", "--user", scale_seed.user(0), "--json"], subprocess.DEVNULL)
    name = f"scale ({kind}): answers export --all --json"
    rows.append(Row(name, f"seconds for {lines:,} answers in the CLI process (after its imports; one member's "
                    f"{one[0]:.2f} s)", round(everything[0], 2), better="lower", aim=Aim(2, "value")))
    rows.append(Row(name, "peak RSS MiB: all vs one member's", round(everything[1], 1), round(one[1], 1),
                    better="lower", aim=Aim(50, "more")))
    return rows


def _python(*args: str, env: dict[str, str] | None = None,
            stdout: Any = subprocess.PIPE) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=processes.ROOT, env=env or processes._env(), stdout=stdout,
                          text=stdout is subprocess.PIPE, check=True, timeout=600)


def _cli_measured(url: str, args: list[str], sink: Any) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one `studybot` CLI command."""
    env = processes._env(DATABASE_URL=url, LOG_LEVEL="WARNING", SLACK_BOT_TOKEN=processes.TOKEN,
                         SLACK_SIGNING_SECRET=processes.SECRET)
    script = ("import sys, time; from bot.main.cli import main; began = time.perf_counter()\n"
              "try:\n    main()\nexcept SystemExit:\n    pass\n"
              "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM:')][0].split()[1]\n"
              "print(time.perf_counter() - began, int(hwm) / 1024, file=sys.stderr)")
    done = subprocess.run([sys.executable, "-c", script, *args], cwd=processes.ROOT, env=env, stdout=sink,
                          stderr=subprocess.PIPE, text=True, timeout=600)
    seconds, peak = done.stderr.strip().splitlines()[-1].split()
    return float(seconds), float(peak)


async def timings(url: str) -> dict[str, float]:
    """In this process: the week's report with its chart, and last week's digest rendered."""
    from sqlalchemy import select

    from bot.database import Database
    from bot.models import Cohort
    from bot.retention.chart import render_chart
    from bot.retention.report import build_report
    from bot.share.digest import compose_digest
    from bot.share.views import render_digest

    db = Database(url)
    async with db.session() as session:
        cohort = await session.scalar(select(Cohort).where(Cohort.name == "scale"))
    result = {}
    began = time.perf_counter()
    async with db.session() as session:
        report, _activity = await build_report(session, cohort, scale_seed.WEEK)
    result["numbers"] = round(time.perf_counter() - began, 2)
    render_chart(report)
    result["report"] = round(time.perf_counter() - began, 2)
    began = time.perf_counter()
    async with db.session() as session:
        composed = await compose_digest(session, cohort, scale_seed.WEEK - 1)
    render_digest(composed.digest, cohort.name)
    result["digest"] = round(time.perf_counter() - began, 2)
    await db.dispose()
    return result


# ---- the week-open tick ------------------------------------------------------------------------------
async def _direct_channels(url: str, size: scale_seed.ScaleSize) -> None:
    """Members in week 20 had DMs before: their DM channels are known (no `conversations.open` each)."""
    from sqlalchemy import insert

    from bot.database import Database
    from bot.models.core import DirectChannel

    db = Database(url)
    async with db.session() as session:
        await session.execute(insert(DirectChannel), [
            {"team_id": scale_seed.TEAM, "user_id": scale_seed.user(n), "channel_id": "D" + scale_seed.user(n)[1:]}
            for n in range(size.members)])
    await db.dispose()


async def serve_emulator(members: int) -> None:
    from aiohttp import web

    from benchmarks.fanout import posted, rates, serve_stats
    from tests.emulator import SlackEmulator

    emulator = SlackEmulator()
    await emulator.start()
    workspace = emulator.workspaces.get(scale_seed.TEAM) or emulator.add_workspace(scale_seed.TEAM)
    emulator.tokens[processes.TOKEN] = scale_seed.TEAM
    users = {scale_seed.user(n) for n in range(members)}
    for user in users:
        workspace.add_user(user)
        workspace.add_channel("D" + user[1:], f"dm-{user.lower()}", members={user}, is_private=True)
    workspace.add_channel(CHANNEL, "fastbook", members=users)
    limits = emulator.enforce_limits(scale=SCALE)

    async def stats(_request: web.Request) -> web.Response:
        keys, times = posted(emulator, scale_seed.TEAM)
        achieved, allowed = rates(limits, times)
        return web.json_response({"keys": keys, "achieved": achieved, "allowed": allowed,
                                  "429": sum(limits.refused.values())})

    await serve_stats(emulator.url, stats)


async def week_open(url: str, api_url: str) -> tuple[float, float, int, list[str]]:
    """Ticks of the week-open jobs until nothing more is due: (wall s, CPU s, calls that waited, failures)."""
    from bot.clock import SystemClock
    from bot.database import Database
    from bot.pacing import Pacer, Timeline
    from bot.scheduling import JobContext, tick
    from bot.slack_client import make_client
    from schedules.questionnaire import PostPrompts
    from schedules.retention import READING_REMINDERS
    from schedules.rhythm import WeekOpens

    db = Database(url)
    timeline = Timeline(SystemClock(), asyncio.sleep)
    pacer = Pacer(timeline, scale=SCALE)
    client = make_client(processes.TOKEN, api_url, sleep=timeline.sleep, pacer=pacer)
    ctx = JobContext(db, lambda _team: client, clock=SystemClock(), sleep=timeline.sleep)
    began, cpu, failed = time.perf_counter(), time.process_time(), []
    for _ in range(3):  # the announcement first; the prompts wait for it (one tick later)
        results = await tick(db, [WeekOpens(), PostPrompts(), READING_REMINDERS], ctx)
        failed += [r.line() for r in results if r.outcome == "failed"]
    took, cpu = time.perf_counter() - began, time.process_time() - cpu
    await db.dispose()
    return took, cpu, pacer.waits, failed


def _week_open(kind: str, url: str, size: scale_seed.ScaleSize, quick: bool) -> list[Row]:
    command = [sys.executable, "-m", "benchmarks.scale", "--emulator", str(size.members)]
    emulator = subprocess.Popen(command, cwd=processes.ROOT, env=processes._env(), stdout=subprocess.PIPE, text=True)
    try:
        urls = json.loads(emulator.stdout.readline())  # type: ignore[union-attr]
        took, cpu, waits, failed = asyncio.run(week_open(url, urls["url"]))
        stats = processes.emulator_stats(urls)
    finally:
        processes._stop(emulator)
    if failed:
        print("\n".join(failed[:5]), file=sys.stderr)
    keys = Counter(stats["keys"])
    posts = sum(keys.values())
    expected = size.members + size.questions_per_chapter + 1
    name = f"scale ({kind}): week-open tick"
    return [
        Row(name, f"posts/s achieved vs allowed (×{SCALE:g} time)", round(stats["achieved"], 1),
            round(stats["allowed"], 1)),
        Row(name, f"{posts:,} of {expected:,} posts: duplicates / failed runs / 429s",
            f"{sum(n - 1 for n in keys.values() if n > 1)} / {len(failed)} / {stats['429']}", better="lower",
            aim=Aim(of="zeros")),
        Row(name, "wall s (Slack's allowance at this scale) / CPU ms per post / calls that waited",
            f"{took:.1f} s ({posts / max(stats['allowed'], 0.001):.1f} s) / {1000 * cpu / max(posts, 1):.1f} ms"
            f" / {waits}", better="lower"),
    ]


def main() -> int:
    if sys.argv[1] == "--emulator":
        asyncio.run(serve_emulator(int(sys.argv[2])))
    elif sys.argv[1] == "--timings":
        print(json.dumps(asyncio.run(timings(sys.argv[2]))))
    else:
        from benchmarks.__main__ import table

        print(table(scenario("--quick" in sys.argv, [a for a in sys.argv[1:] if "://" in a])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
