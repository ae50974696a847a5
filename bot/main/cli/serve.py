"""`studybot serve [--http] [--port N]`."""
from __future__ import annotations

import click

from bot.main.cli.common import run
from bot.main.server import serve_forever
from bot.runtime import Runtime
from bot.settings import require


@click.command("serve")
@click.option("--http", "force_http", is_flag=True, help="Serve HTTP even when SLACK_APP_TOKEN is set.")
@click.option("--port", type=click.IntRange(1, 65535), default=None, help="HTTP port (default: $PORT or 3000).")
@click.option("--host", default="0.0.0.0", show_default=True, help="HTTP interface to listen on.")
def serve_command(force_http: bool, port: int | None, host: str) -> None:
    """Run the bot: Socket Mode when SLACK_APP_TOKEN is set, else HTTP on /slack/events."""

    async def work(runtime: Runtime) -> None:
        settings = runtime.settings
        http = force_http or not settings.slack_app_token
        require(settings, "encryption_key") if settings.oauth_mode else require(settings, "slack_bot_token")
        if http:
            require(settings, "slack_signing_secret")
        await serve_forever(runtime, http=http, host=host, port=port or settings.port)

    try:
        run(work, check_schema=False)  # serve migrates itself (or refuses) in prepare_database
    except KeyboardInterrupt:
        pass


def register(cli: click.Group) -> None:
    cli.add_command(serve_command)
