"""`studybot session …`: one week's live session (moved, relinked, cancelled) and its recording."""
from __future__ import annotations

import click


@click.group("session")
def session_group() -> None:
    """The weekly live session: move, relink or cancel one week's session; add its recording."""


def register(cli: click.Group) -> None:
    cli.add_command(session_group)
