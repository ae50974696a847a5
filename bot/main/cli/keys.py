"""`studybot keys new | rotate`: the key that encrypts workspace tokens at rest (OAuth mode).

Rotating: put a new key in front of STUDYBOT_ENCRYPTION_KEY (`new,old`), restart the bot, run
`studybot keys rotate` to re-encrypt every stored token with the new key, then remove the old key.
"""
from __future__ import annotations

import click

from bot.main.cli.common import run, settings_or_exit
from bot.runtime import Runtime
from bot.settings import secret
from bot.workspaces.secrets import TokenCipher, new_key, rotate_stored_tokens


@click.group("keys")
def keys_group() -> None:
    """The encryption key of stored Slack tokens (STUDYBOT_ENCRYPTION_KEY)."""


@keys_group.command("new")
def keys_new() -> None:
    """Print a fresh key, to put first in STUDYBOT_ENCRYPTION_KEY."""
    click.echo(new_key())


@keys_group.command("rotate")
def keys_rotate() -> None:
    """Re-encrypt every stored token with the first key of STUDYBOT_ENCRYPTION_KEY."""

    cipher = TokenCipher(secret(settings_or_exit().encryption_key))  # a bad key is said before anything else

    async def work(runtime: Runtime) -> int:
        return await rotate_stored_tokens(runtime.db, cipher)

    click.echo(f"re-encrypted {run(work)} tokens with the newest key")


def register(cli: click.Group) -> None:
    cli.add_command(keys_group)
