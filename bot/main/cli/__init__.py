"""The `studybot` command line: one module per command group, each with `register(cli)`."""
from __future__ import annotations

import click

from bot.main.cli import (
    ama,
    answers,
    calendar,
    certificates,
    cohort,
    db,
    digest,
    doctor,
    groups,
    keys,
    member,
    report,
    serve,
    session,
    syllabus,
    tick,
)
from bot.main.cli.common import StudyCommands

COMMAND_MODULES = (cohort, calendar, session, syllabus, answers, groups, digest, ama, report, certificates, member, db,
                   keys, doctor, serve, tick)


@click.group(cls=StudyCommands, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """studybot — runs book study groups on Slack.

    Settings come from the environment or a .env file (see .env.example).
    """


for _module in COMMAND_MODULES:
    _module.register(cli)


def main() -> None:
    cli(prog_name="studybot")
