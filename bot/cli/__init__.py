"""The `studybot` command line. One module per command group; each has `register(cli)`."""
from __future__ import annotations

import sys

import click

from bot.discovery import import_all


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """studybot — runs book study groups on Slack.

    Settings come from the environment or a .env file (see .env.example).
    """


def _register_groups() -> None:
    for module in import_all(sys.modules[__name__]):
        register = getattr(module, "register", None)
        if register is not None:
            register(cli)


_register_groups()


def main() -> None:
    cli(prog_name="studybot")
