"""The one progress reporter of the long `studybot` commands: a bar on a terminal, lines elsewhere, one summary."""
from __future__ import annotations

import asyncio
import json

import click
from click.testing import CliRunner

from bot.main.cli.progress import Report, Summary, report_options


def command(terminal: bool, failed: list[str]) -> click.Command:
    @click.command()
    @report_options
    def long_job(quiet: bool, as_json: bool) -> None:
        report = Report("long job", "working", quiet=quiet, as_json=as_json, terminal=terminal)

        async def work() -> None:
            for done in range(0, 21):
                await report.step(done, 20)

        asyncio.run(work())
        report.finish(Summary(["did 20 things"], ["1 thing: not needed"], failed, {"things": 20}))

    return long_job


def test_plain_lines_every_tenth_then_the_summary():
    result = CliRunner().invoke(command(False, []), [])
    assert result.exit_code == 0
    assert result.stderr.splitlines() == [f"working: {n}/20 ({n * 5}%)" for n in range(0, 21, 2)]
    assert result.stdout.splitlines() == ["did 20 things", "skipped: 1 thing: not needed"]


def test_a_terminal_gets_a_bar_and_a_failure_exits_1_with_what_to_do():
    result = CliRunner().invoke(command(True, ["2 things: run it again"]), [])
    assert result.exit_code == 1
    # click's bar draws itself only on a real tty; captured, it leaves just its label: no plain lines
    assert result.stderr.splitlines() == ["working", "failed: 2 things: run it again"]


def test_json_is_one_object_and_quiet_shows_only_failures():
    result = CliRunner().invoke(command(False, []), ["--json"])
    assert result.stderr == "" and json.loads(result.stdout) == {
        "command": "long job", "ok": True, "done": ["did 20 things"], "skipped": ["1 thing: not needed"],
        "failed": [], "things": 20}
    quiet = CliRunner().invoke(command(False, ["x: y"]), ["--quiet"])
    assert quiet.stdout == "" and quiet.stderr == "failed: x: y\n" and quiet.exit_code == 1
