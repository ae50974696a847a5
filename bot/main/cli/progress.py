"""Progress and the closing summary of the long `studybot` commands, one way for all of them.

A command makes one `Report`, hands `report.step` to the core function as its `progress(done, total)`
callback, and ends with `report.finish(summary)`. Progress goes to stderr and the summary to stdout, so a
script reading stdout gets only the outcome. What progress looks like depends on where stderr goes:

- a terminal: click's progress bar;
- anything else (cron, CI logs): a plain line at every tenth of the way;
- `--quiet`: no progress, and of the summary only what failed; `--json`: no progress, and the summary
  as one JSON object.
"""
from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from typing import Any

import click

LINE_EVERY = 10  # plain-line mode: one line per this percentage of the way


@dataclass
class Summary:
    """The end of a long command: what was done, what was skipped and why, what failed and what to do."""

    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)  # extra fields for --json only

    def as_json(self, command: str) -> dict[str, Any]:
        return {"command": command, "ok": not self.failed, "done": self.done, "skipped": self.skipped,
                "failed": self.failed, **self.details}


def report_options(command: Any) -> Any:
    """`--quiet` and `--json` for a long command."""
    command = click.option("--json", "as_json", is_flag=True,
                           help="Print one JSON object at the end, nothing else.")(command)
    return click.option("--quiet", "-q", is_flag=True, help="Print only what failed.")(command)


class Report:
    """Shows one long command's progress and summary on stdout, as fits the output and the flags."""

    def __init__(self, command: str, label: str, *, quiet: bool = False, as_json: bool = False,
                 terminal: bool | None = None) -> None:
        self.command, self.label = command, label
        self.quiet, self.as_json = quiet, as_json
        self.terminal = sys.stderr.isatty() if terminal is None else terminal
        self._bar: Any = None
        self._shown = 0
        self._last_line = -1

    async def step(self, done: int, total: int) -> None:
        """The `progress(done, total)` callback the core calls."""
        if self.quiet or self.as_json or total <= 0:
            return
        if self.terminal:
            self._advance_bar(done, total)
            return
        step = done * 100 // total // LINE_EVERY
        if step > self._last_line:
            self._last_line = step
            click.echo(f"{self.label}: {done}/{total} ({done * 100 // total}%)", err=True)

    def _advance_bar(self, done: int, total: int) -> None:
        if self._bar is None:
            self._bar = click.progressbar(length=total, label=self.label, file=sys.stderr)
            self._bar.__enter__()
        self._bar.update(done - self._shown)
        self._shown = done
        if done >= total:
            self._close_bar()

    def _close_bar(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar = None

    def finish(self, summary: Summary) -> None:
        """Print the summary (or the JSON object); exit status 1 when something failed."""
        self._close_bar()
        if self.as_json:
            click.echo(json.dumps(summary.as_json(self.command), ensure_ascii=False, default=str))
        else:
            if not self.quiet:
                for line in summary.done:
                    click.echo(line)
                for line in summary.skipped:
                    click.echo(f"skipped: {line}")
            for line in summary.failed:
                click.echo(f"failed: {line}", err=True)
        if summary.failed:
            raise click.exceptions.Exit(1)
