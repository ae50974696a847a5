"""Starting the bot logs no Bolt warning about its own, deliberate configuration."""
from __future__ import annotations

import logging

from bot.clock import FixedClock
from bot.database import Database
from bot.main.app import create_app
from bot.runtime import Runtime
from bot.settings import load_settings
from tests.conftest import START


async def test_no_token_will_be_unused_warning_at_start(monkeypatch, caplog, database_url) -> None:
    """Bolt reads SLACK_BOT_TOKEN from the environment itself, and warns that it is unused next to our
    client (which carries the token, with our retry policy): a warning at every start that asks nothing."""
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")
    settings = load_settings(slack_bot_token="xoxb-test-token", slack_signing_secret="s", database_url=database_url)
    runtime = Runtime(settings=settings, db=Database(database_url), clock=FixedClock(START))
    try:
        with caplog.at_level(logging.WARNING):
            create_app(runtime)
    finally:
        await runtime.db.dispose()
    assert [r.getMessage() for r in caplog.records if r.name.startswith("slack_bolt")] == []
