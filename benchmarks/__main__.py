"""`python -m benchmarks [--quick] [--only NAME]`: studybot beside a bare Bolt app, in one run, as one table.

--quick runs every scenario at a tiny size (CI runs it so the harness never rots; nobody judges its numbers).
NAME: commands, answers, home, groups, digest, fanout, scale (--quick: the scale scenario at 100 members).
--database-url (repeatable) runs the scale scenario on that database (the data is added to it).
--postgres ADMIN_URL (default: $STUDYBOT_BENCH_POSTGRES) runs it on a throw-away PostgreSQL database as well as
SQLite, created there and dropped after: `python -m benchmarks --postgres postgresql://postgres@127.0.0.1/postgres`.
"""
from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager

from benchmarks.scenarios import FULL, QUICK, Row, request_scenarios, script_scenarios

NAMES = ("commands", "answers", "home", "groups", "digest", "fanout", "scale")


def main() -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="every scenario at a tiny size")
    parser.add_argument("--only", choices=NAMES, help="one scenario")
    parser.add_argument("--database-url", action="append", default=[], metavar="URL",
                        help="the scale scenario's database(s), e.g. both sqlite:///… and postgresql://… "
                             "(default: a temporary SQLite file); the data is added to it")
    parser.add_argument("--postgres", metavar="ADMIN_URL", default=os.environ.get("STUDYBOT_BENCH_POSTGRES"),
                        help="also run the scale scenario on a throw-away database created through this server")
    options = parser.parse_args()
    size = QUICK if options.quick else FULL
    rows: list[Row] = []
    if options.only in (None, "commands", "answers", "home"):
        rows += request_scenarios(size, options.only)
    if options.only in (None, "groups", "digest"):
        rows += script_scenarios(size, options.only)
    if options.only in (None, "fanout"):
        from benchmarks.fanout import scenario

        rows += scenario(options.quick)
    if options.only in (None, "scale"):
        from benchmarks.scale import scenario as scale

        with _databases(options.database_url, options.postgres) as urls:
            rows += scale(options.quick, urls)
    print(f"machine: {os.cpu_count()} cores, Python {platform.python_version()}, {platform.machine()}"
          f" — {'quick' if options.quick else 'full'} run; medians of {size.rounds} round(s)")
    print(table(rows))
    return 0


@contextmanager
def _databases(given: list[str], postgres: str | None) -> Iterator[list[str]]:
    """The scale scenario's databases: those given, else a temporary SQLite file (the scenario's default) and,
    with `postgres`, a throw-away database on that server, dropped afterwards."""
    if given or not postgres:
        yield given
        return
    from tests import pgdb

    url = pgdb.create(postgres)
    try:
        with tempfile.TemporaryDirectory() as folder:
            yield [f"sqlite:///{folder}/scale.db", url]
    finally:
        pgdb.drop(postgres, url)


def table(rows: list[Row]) -> str:
    lines = ["| scenario | figure | studybot | bare Bolt | ratio | aim |", "| --- | --- | --- | --- | --- | --- |"]
    lines += [f"| {r.scenario} | {r.figure} ({r.better} is better) | {r.bot} | {r.bare} | {r.ratio} | {r.verdict} |"
              for r in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
