"""The scenarios of `python -m benchmarks`: each returns rows of (scenario, figure, studybot, bare Bolt).

Request scenarios alternate rounds — studybot, bare, studybot, bare … — against the same emulator,
with the load in a process of its own, and report the median over the rounds.
"""
from __future__ import annotations

import asyncio
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, insert, select

from benchmarks import processes
from benchmarks.emulator_process import CHANNEL, PROMPT_TS

TEAM = "T0STUDY01"


@dataclass(frozen=True)
class Aim:
    """What a figure should reach: `of` "ratio" (studybot ÷ bare), "value" (studybot's own figure), "more"
    (studybot's figure less the bare column's, e.g. RSS against a baseline) or "zeros" (every number in
    studybot's figure is 0, e.g. "0 / 0 / 0" duplicates / losses / 429s)."""
    limit: float = 0.0
    of: str = "ratio"

    def text(self, better: str) -> str:
        if self.of == "zeros":
            return "all 0"
        unit = {"ratio": "×", "more": " more"}.get(self.of, "")
        return f"{'≥' if better == 'higher' else '≤'} {self.limit:g}{unit}"

    def met(self, row: Row) -> bool | None:
        if self.of == "zeros":
            return all(float(n) == 0 for n in re.findall(r"\d+(?:\.\d+)?", str(row.bot)))
        if self.of in ("ratio", "more") and not (_numbers(row) and row.bare):
            return None
        figure = (row.bot / row.bare if self.of == "ratio" else row.bot - row.bare  # type: ignore[operator]
                  if self.of == "more" else row.bot)
        if not isinstance(figure, (int, float)):
            return None
        return figure >= self.limit if row.better == "higher" else figure <= self.limit


def _numbers(row: Row) -> bool:
    return isinstance(row.bot, (int, float)) and isinstance(row.bare, (int, float))


@dataclass
class Row:
    scenario: str
    figure: str
    bot: float | str
    bare: float | str = ""
    better: str = "higher"  # which way is good, for reading the ratio
    aim: Aim | None = None

    @property
    def ratio(self) -> str:
        if _numbers(self) and self.bare:
            return f"{self.bot / self.bare:.2f}×"  # type: ignore[operator]
        return ""

    @property
    def verdict(self) -> str:
        if self.aim is None:
            return ""
        met = self.aim.met(self)
        return f"{self.aim.text(self.better)}: {'met' if met else 'not met' if met is not None else '?'}"


@dataclass
class Size:
    seconds: float
    rounds: int
    connections: tuple[int, ...]
    members: int
    home_users: int
    questions: int  # over chapters of 50; chapter 1's first is the posted prompt
    answers: int  # already recorded, before the load: what `serve` holds in scenario 7 (memory)


QUICK = Size(seconds=0.5, rounds=1, connections=(4,), members=50, home_users=20, questions=5, answers=100)
FULL = Size(seconds=4.0, rounds=3, connections=(16, 64), members=10_000, home_users=1_000, questions=500,
            answers=100_000)
QUESTIONS_PER_CHAPTER = 50
BURST = 200
COMMAND_AIMS = {  # (rate, p99) against the bare app at full size (issues 14 and 26)
    ("help", 16): (Aim(0.9), Aim(1.5)), ("help", 64): (Aim(0.9), Aim(1.5)),
    ("progress", 16): (Aim(0.7), Aim(2)), ("group", 16): (Aim(0.7), Aim(2)),
    ("progress", 64): (Aim(0.5), Aim(3)), ("group", 64): (Aim(0.5), Aim(3)),
}


async def seed(database_url: str, size: Size) -> None:
    """A cohort in week 1, its first question posted as a prompt to answer, `size.members` group members,
    `size.questions` questions and `size.answers` answers (bulk inserts: seconds, not minutes)."""
    from bot.cohorts.store import create_cohort
    from bot.database import Database, upgrade
    from bot.models import Question
    from bot.models.groups import GroupMember
    from bot.models.questionnaire import Answer, Prompt

    await upgrade(database_url)
    db = Database(database_url)
    now = datetime.now(UTC)
    start = (now - timedelta(days=2)).strftime("%Y-%m-%d 18:00")
    async with db.session() as session:
        cohort = await create_cohort(session, team_id=TEAM, name="bench", channel_id=CHANNEL, timezone="Europe/London",
                                     start=start, now=now, session_time="thu 18:00")
        questions = [(1 + n // QUESTIONS_PER_CHAPTER, 1 + n % QUESTIONS_PER_CHAPTER) for n in range(size.questions)]
        await session.execute(insert(Question), [
            {"team_id": TEAM, "cohort_id": cohort.id, "chapter": chapter, "position": position,
             "text": "What is a GPU?", "retired": False, "imported_at": now} for chapter, position in questions])
        await session.execute(insert(Answer), [
            {"team_id": TEAM, "cohort_id": cohort.id, "chapter": questions[n % len(questions)][0],
             "position": questions[n % len(questions)][1], "user_id": f"U{n % size.members:08d}",
             "channel_id": CHANNEL, "message_ts": f"{1772000000 + n // 1_000_000}.{n % 1_000_000:06d}",
             "text": f"seeded answer {n}", "private": False, "deleted": False, "acknowledged": True,
             "posted_at": now, "edited_at": None, "recorded_at": now} for n in range(size.answers)])
        session.add(Prompt(team_id=TEAM, cohort_id=cohort.id, chapter=1, position=1, total=1, channel_id=CHANNEL,
                           question_text="What is a GPU?", ts=PROMPT_TS, posted_at=now))
        await session.execute(insert(GroupMember), [
            {"team_id": TEAM, "cohort_id": cohort.id, "user_id": f"U{n:08d}", "zone": "Asia/Kolkata", "joined_at": now}
            for n in range(size.members)])
    await db.dispose()


async def count_answers(database_url: str) -> int:
    from bot.database import Database
    from bot.models.questionnaire import Answer

    db = Database(database_url)
    async with db.session() as session:
        total = await session.scalar(select(func.count()).select_from(Answer))
    await db.dispose()
    return int(total or 0)


def _rounds(size: Size, bot: processes.Server, bare: processes.Server, spec: dict[str, Any]) -> tuple[list, list]:
    mine, theirs = [], []
    first = spec.get("round", 0)  # distinct rounds of one server never repeat an event id or a message ts
    for n in range(first, first + size.rounds):
        mine.append(processes.load({**spec, "url": bot.url, "run": f"b{n}", "round": n}))
        theirs.append(processes.load({**spec, "url": bare.url, "run": f"r{n}", "round": n}))
    return mine, theirs


def _median(results: list[dict[str, Any]], key: str) -> float:
    return round(statistics.median(r[key] for r in results if r[key] is not None), 1)


def request_scenarios(size: Size, only: str | None) -> list[Row]:
    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as folder, processes.emulator() as emulator:
        database_url = f"sqlite:///{folder}/bench.db"
        asyncio.run(seed(database_url, size))
        with processes.studybot(emulator["url"], database_url) as bot, processes.bare_bolt(emulator["url"]) as bare:
            rows.append(Row("start-up", "seconds to /healthz 200", round(bot.started_in, 2), round(bare.started_in, 2),
                            better="lower", aim=Aim(2)))
            base = {"response_url": emulator["response_url"], "seconds": size.seconds, "team": TEAM, "channel": CHANNEL}
            if only in (None, "commands"):
                for arg in ("help", "progress", "group"):
                    for connections in size.connections:
                        mine, theirs = _rounds(size, bot, bare, {**base, "kind": "slash", "arg": arg,
                                                                 "connections": connections, "users": size.members})
                        name = f"/study {arg} ({connections} conn.)"
                        rate, p99 = COMMAND_AIMS[(arg, connections)] if size is FULL else (None, None)
                        rows.append(Row(name, "requests/s", _median(mine, "rps"), _median(theirs, "rps"), aim=rate))
                        rows.append(Row(name, "p99 ms", _median(mine, "p99_ms"), _median(theirs, "p99_ms"),
                                        better="lower", aim=p99))
            if only in (None, "answers"):
                rows += _answers(size, bot, bare, base, database_url)
            if only in (None, "home"):
                before = processes.emulator_stats(emulator)["calls"].get("views.publish", 0)
                mine, theirs = _rounds(size, bot, bare, {**base, "kind": "home", "connections": size.connections[0],
                                                         "users": size.home_users})
                time.sleep(1.0)
                published = processes.emulator_stats(emulator)["calls"].get("views.publish", 0) - before
                rows.append(Row("App Home opened", "events acked/s", _median(mine, "rps"), _median(theirs, "rps"),
                                aim=Aim(0.5)))
                rows.append(Row("App Home opened", "views.publish per open",
                                round(published / max(1, sum(r["sent"] for r in mine)), 2), better="lower"))
            rows.append(Row("memory", "studybot serve RSS MiB after the scenarios", round(bot.rss_mib, 1),
                            round(bare.rss_mib, 1), better="lower", aim=Aim(100, "value") if only is None else None))
    return rows


def _answers(size: Size, bot: processes.Server, bare: processes.Server, base: dict[str, Any],
             database_url: str) -> list[Row]:
    """A sustained flood (as many replies as the load can send for `size.seconds`), then a burst of 200."""
    rows = []
    for name, extra, aim in (("answer ingestion", {}, Aim(0.5)),
                             ("answer ingestion, burst of 200", {"count": BURST, "seconds": 60}, Aim(0.8))):
        before = asyncio.run(count_answers(database_url))
        spec = {**base, "kind": "reply", "thread_ts": PROMPT_TS, "connections": size.connections[0], "users": 5_000,
                **extra, "round": 10 * len(rows)}
        mine, theirs = _rounds(size, bot, bare, spec)
        sent = sum(r["ok"] for r in mine)
        recorded = asyncio.run(_settled_count(database_url, before + sent)) - before
        rows += [Row(name, "thread replies acked/s", _median(mine, "rps"), _median(theirs, "rps"), aim=aim),
                 Row(name, "answers lost (acked − recorded)", sent - recorded, better="lower", aim=Aim(of="zeros"))]
    return rows


async def _settled_count(database_url: str, expected: int, timeout: float = 60.0) -> int:
    """Answers are recorded after the ack: wait until every acked one is in (or the count stops moving)."""
    deadline, last, still = time.monotonic() + timeout, -1, 0
    while time.monotonic() < deadline:
        count = await count_answers(database_url)
        if count >= expected:
            return count
        still = still + 1 if count == last else 0
        if still >= 20:
            return count
        last = count
        await asyncio.sleep(0.25)
    return await count_answers(database_url)


def script_scenarios(size: Size, only: str | None) -> list[Row]:
    """The in-process benchmarks that already exist, run as they are, their figures taken from their output."""
    quick = size is QUICK
    rows: list[Row] = []
    if only in (None, "groups"):
        counts = ["1000"] if quick else ["1000", "10000", "100000"]
        output = _script("bench_form_groups.py", "--members", *counts, "--repeats", "1" if quick else "3")
        for line in output.splitlines():
            found = re.search(r"([\d,]+) members.*?([\d.]+) ms.*?([\d.]+) MiB", line)
            if found:
                members = int(found[1].replace(",", ""))
                rows.append(Row(f"group formation ({members:,} members)", f"ms (best; peak {found[3]} MiB)",
                                float(found[2]), better="lower",
                                aim=Aim(200, "value") if members == 10_000 else None))
        if not rows:
            rows.append(Row("group formation", "output", output.strip().splitlines()[-1] if output.strip() else "?"))
    if only in (None, "digest"):
        output = _script("bench_digest_db.py", "--posts", "500" if quick else "10000")
        best = re.search(r"load \+ build \+ render: best (\d+) ms", output)
        rows.append(Row("digest (database → blocks)", "ms, best of the runs (median and CPU: "
                        f"{output.strip().splitlines()[-1] if output.strip() else '?'})",
                        float(best[1]) if best else "?", better="lower", aim=None if quick else Aim(500, "value")))
    return rows


def _script(name: str, *args: str) -> str:
    done = subprocess.run([sys.executable, str(Path(__file__).parent / name), *args], cwd=processes.ROOT,
                          env=processes._env(), capture_output=True, text=True, timeout=900)
    return done.stdout if done.returncode == 0 else f"failed: {done.stderr.strip().splitlines()[-1:]}"
