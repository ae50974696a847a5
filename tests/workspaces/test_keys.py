"""`studybot keys rotate`: tokens written with the old key are re-encrypted with the new one."""
from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from cryptography.fernet import Fernet
from sqlalchemy import text

from bot.workspaces.secrets import TokenCipher
from tests.emulator.state import TEAM_ID
from tests.workspaces.helpers import KEY, install, start_oauth_bot

STUDYBOT = Path(sys.executable).parent / "studybot"


async def studybot(*args: str, **env: str) -> tuple[int, str, str]:
    environment = {**os.environ, "SLACK_APP_TOKEN": "", "SLACK_BOT_TOKEN": "", **env}
    process = await asyncio.create_subprocess_exec(str(STUDYBOT), *args, env=environment,
                                                   stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    return process.returncode or 0, out.decode(), err.decode()


async def stored_tokens(bot) -> list[str]:  # type: ignore[no-untyped-def]
    async with bot.db.engine.connect() as connection:
        rows = await connection.execute(text("SELECT bot_token, bot_refresh_token FROM slack_installations"))
        return [value for row in rows for value in row if value]


async def test_rotate_re_encrypts_every_token_with_the_newest_key(emulator, database_url, clock, tmp_path):
    bot = await start_oauth_bot(emulator, database_url, clock, app={"rotation": True})
    try:
        await install(bot, TEAM_ID)
        before = await stored_tokens(bot)
        new = Fernet.generate_key().decode()
        status, out, err = await studybot("keys", "rotate", DATABASE_URL=database_url,
                                          STUDYBOT_ENCRYPTION_KEY=f"{new},{KEY}")
        after = await stored_tokens(bot)
    finally:
        await bot.stop()
    assert status == 0, err
    assert "re-encrypted 4 tokens" in out  # bot token and refresh token, in slack_installations and slack_bots
    assert len(after) == 2 and set(after).isdisjoint(before)
    assert [TokenCipher(new).decrypt(t) for t in after] == [TokenCipher(KEY).decrypt(t) for t in before]


async def test_a_malformed_key_is_one_line(tmp_path):
    status, _out, err = await studybot("keys", "rotate", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}",
                                       STUDYBOT_ENCRYPTION_KEY="not-a-key")
    assert status == 1 and err.strip().count("\n") == 0 and "STUDYBOT_ENCRYPTION_KEY" in err
