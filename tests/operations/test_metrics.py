"""GET /metrics and GET /healthz of the HTTP server, after a two-workspace scenario (OAuth mode)."""
from __future__ import annotations

from datetime import timedelta

from tests.emulator.state import TEAM_ID
from tests.workspaces.helpers import OTHER_TEAM, add_team, install, start_oauth_bot
from tests.workspaces.test_uninstall import WEEK1_OPENS


async def get(bot, path: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    async with bot.session.get(bot.url.removesuffix("/slack/events") + path) as response:
        return response.status, await response.text()


async def two_workspaces(bot, emulator) -> None:  # type: ignore[no-untyped-def]
    """Both install; each opens its Home (one Slack call rate-limited once); one event is redelivered;
    week 1 opens in both; then the second workspace uninstalls and the next tick leaves it alone."""
    for team_id in (TEAM_ID, OTHER_TEAM):
        await install(bot, team_id)
        bot.team_id = team_id
        await bot.create_cohort()
    emulator.fail_next("views.publish", status=429, retry_after=1)
    for team_id in (TEAM_ID, OTHER_TEAM):
        bot.team_id = team_id
        home = {"type": "app_home_opened", "user": "U1", "channel": "D1", "tab": "home"}
        await bot.event(home, event_id=f"EvHOME{team_id}")
        await bot.event(home, event_id=f"EvHOME{team_id}", retry_num=1)  # redelivered: its view is unchanged
        await bot.settle()
        chat = {"type": "message", "channel": "C0CHAT0001", "user": "U1", "text": "hello", "ts": "1772452800.000100"}
        await bot.event(chat, event_id=f"EvCHAT{team_id}")
        await bot.event(chat, event_id=f"EvCHAT{team_id}", retry_num=1)  # redelivered: dropped
        await bot.settle()
    await bot.tick(WEEK1_OPENS)
    bot.team_id = OTHER_TEAM
    await bot.event({"type": "app_uninstalled"})
    await bot.settle()
    await bot.tick(WEEK1_OPENS + timedelta(hours=1))


async def test_metrics_after_two_workspaces(emulator, database_url, clock):
    add_team(emulator)
    bot = await start_oauth_bot(emulator, database_url, clock)
    try:
        await two_workspaces(bot, emulator)
        status, metrics = await get(bot, "/metrics")
    finally:
        await bot.stop()
    print(metrics)
    assert status == 200
    lines = set(metrics.splitlines())
    assert 'studybot_requests_total{listener="event:app_home_opened"} 4.0' in lines
    assert 'studybot_requests_total{listener="event:app_uninstalled"} 1.0' in lines
    assert 'studybot_ack_seconds_count{listener="event:app_home_opened"} 4.0' in lines
    assert "studybot_events_deduplicated_total 2.0" in lines
    assert 'studybot_slack_api_calls_total{method="oauth.v2.access"} 2.0' in lines
    assert 'studybot_slack_api_rate_limited_total{method="views.publish"} 1.0' in lines
    assert 'studybot_slack_api_calls_total{method="views.publish"} 3.0' in lines  # 2 publishes + the 429
    assert 'studybot_jobs_total{job="rhythm-week-open",outcome="ran"} 2.0' in lines  # not a third: uninstalled
    assert 'studybot_slack_api_calls_total{method="chat.postMessage"} 2.0' in lines
    assert 'studybot_outbound_queue_depth{status="pending"} 0.0' in lines
    assert "studybot_slack_calls_waiting 0.0" in lines
    assert any(line.startswith("studybot_slack_paced_seconds ") for line in lines)


async def test_healthz_reports_database_and_a_stalled_scheduler(bot):
    status, body = await get(bot, "/healthz")
    assert status == 200 and '"status": "ok"' in body and '"socket_mode": "not used"' in body
    await bot.tick()
    bot.clock.advance(seconds=91)  # three 30-second ticks missed (and more than 90 s)
    status, body = await get(bot, "/healthz")
    assert status == 503 and "scheduler stalled" in body and '"last_tick_age_seconds": 91.0' in body
    await bot.tick()
    assert (await get(bot, "/healthz"))[0] == 200
    await bot.db.engine.dispose()
    bot.runtime.db.ping = _unreachable  # type: ignore[method-assign]
    status, body = await get(bot, "/healthz")
    assert status == 503 and "database unreachable" in body


async def _unreachable() -> bool:
    return False
