"""Many workspaces: install through OAuth against the emulator, then each workspace is served with its own token."""
from __future__ import annotations

from sqlalchemy import text

from tests.emulator.state import TEAM_ID
from tests.workspaces.helpers import KEY, OTHER_TEAM, add_team, install, start_oauth_bot


async def open_home(bot, team_id: str, user: str = "U1") -> None:  # type: ignore[no-untyped-def]
    bot.team_id = team_id
    reply = await bot.event({"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home"})
    assert reply.status == 200
    await bot.settle()


async def test_install_then_events_from_the_new_workspace_are_answered_with_its_token(emulator, database_url, clock):
    add_team(emulator)
    bot = await start_oauth_bot(emulator, database_url, clock)
    try:
        first, second = await install(bot, TEAM_ID), await install(bot, OTHER_TEAM)
        await open_home(bot, OTHER_TEAM)
        await open_home(bot, TEAM_ID)
    finally:
        await bot.stop()
    assert first.startswith("200") and second.startswith("200")
    exchanges = emulator.calls_to("oauth.v2.access")
    assert len(exchanges) == 2 and all(c.token == "" for c in exchanges)
    published = emulator.calls_to("views.publish")
    assert [c.team_id for c in published] == [OTHER_TEAM, TEAM_ID]
    assert published[0].token.startswith(f"xoxb-{OTHER_TEAM}-") and published[1].token.startswith(f"xoxb-{TEAM_ID}-")
    assert "U1" in emulator.workspaces[OTHER_TEAM].home_views and "U1" in emulator.workspaces[TEAM_ID].home_views


async def test_a_bad_state_installs_nothing(emulator, database_url, clock):
    add_team(emulator)
    bot = await start_oauth_bot(emulator, database_url, clock)
    try:
        base = bot.url.removesuffix("/slack/events")
        code = emulator.oauth.consent(OTHER_TEAM)
        async with bot.session.get(f"{base}/slack/oauth_redirect", params={"code": code, "state": "forged"}) as r:
            status = r.status
        async with bot.db.engine.connect() as connection:
            rows = (await connection.execute(text("SELECT count(*) FROM slack_installations"))).scalar()
    finally:
        await bot.stop()
    assert status == 400 and rows == 0 and not emulator.calls_to("oauth.v2.access")


async def test_tokens_are_unreadable_in_the_database_without_the_key(emulator, database_url, clock):
    bot = await start_oauth_bot(emulator, database_url, clock, app={"rotation": True})
    try:
        await install(bot, TEAM_ID)
        async with bot.db.engine.connect() as connection:
            rows = [dict(r._mapping) for r in (await connection.execute(text("SELECT * FROM slack_installations")))]
            rows += [dict(r._mapping) for r in (await connection.execute(text("SELECT * FROM slack_bots")))]
    finally:
        await bot.stop()
    issued = list(emulator.tokens) + list(emulator.oauth.refresh_tokens)
    assert len(rows) == 2 and issued
    dump = repr(rows)
    assert not any(token in dump for token in issued)
    assert "xox" not in dump
    from bot.workspaces.secrets import TokenCipher

    assert TokenCipher(KEY).decrypt(rows[0]["bot_token"]) in emulator.tokens


async def test_an_expiring_token_is_rotated_before_a_job_uses_it(emulator, database_url, clock):
    # expires in one hour: inside the two-hour rotation window, so the first use refreshes it
    bot = await start_oauth_bot(emulator, database_url, clock, app={"rotation": True, "expires_in": 3600})
    try:
        await install(bot, TEAM_ID)
        await bot.runtime.client_for(TEAM_ID).chat_postMessage(channel="C0STUDY001", text="hello")
        await open_home(bot, TEAM_ID)  # Bolt's own authorize rotates too, through SLACK_API_URL
    finally:
        await bot.stop()
    exchanges = emulator.calls_to("oauth.v2.access")
    assert [c.args.get("grant_type") for c in exchanges] == [None, "refresh_token", "refresh_token"]
    post = emulator.calls_to("chat.postMessage")[0]
    assert post.token == exchanges[1].response["access_token"]
    assert emulator.calls_to("views.publish")[0].token == exchanges[2].response["access_token"]
