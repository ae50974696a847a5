"""Scenario 5 (issue 14): a fan-out — a week's prompts in several channels and a nudge DM to every quiet
member — against the emulator enforcing Slack's rate limits: every post exactly once, at most a few 429s,
and close to the rate the limits allow. The emulator reads the bot's timeline, so the bot's waits are
virtual (the fake sleep moves the timeline) and the emulator judges them as if they had been waited.

Virtual time moves for everyone when one sender sleeps, so senders side by side look one after the
other: the rate is judged on the DMs (one workspace-wide limit), the benchmark judges the whole."""
from __future__ import annotations

from benchmarks.fanout import World, jobs, populate, posted, seed
from bot.scheduling import tick
from tests.emulator.state import TEAM_ID
from tests.faults.conftest import tally
from tests.harness import BOT_TOKEN

# 240 DMs and 24 prompts in 8 channels: enough channels that the workspace's limit (5 posts a second) binds,
# not each channel's (1 a second).
WORLD = World(cohorts=8, members=30, questions=3)


async def fan_out(bot, emulator, world: World = WORLD):  # type: ignore[no-untyped-def]
    timeline = bot.runtime.pacer.timeline
    limits = emulator.enforce_limits(now=timeline.now)
    populate(emulator, world, {TEAM_ID: BOT_TOKEN})
    expected = await seed(bot.db, world, TEAM_ID, bot.clock.now())
    accepted: list[tuple[float, str]] = []
    emulator.on_call.append(lambda call: accepted.append((timeline.now(), call.args["channel"]))
                            if call.method == "chat.postMessage" and (call.response or {}).get("ok") else None)
    results = await tick(bot.db, jobs(), bot.runtime.job_context())
    return expected, results, limits, accepted


async def test_a_fan_out_sends_everything_once_within_slacks_limits(bot, emulator):
    expected, results, limits, accepted = await fan_out(bot, emulator)
    assert {r.outcome for r in results} == {"ran"} and len(results) == 2 * WORLD.cohorts
    keys, _ = posted(emulator, TEAM_ID)
    assert tally("5 fan-out under Slack's limits", expected, list(keys.elements())) == (264, 264, 0, 0)
    assert limits.count_429() <= 3, limits.refused
    dms = [at for at, channel in accepted if channel.startswith("U")]
    sustained = (len(dms) - 1) / (dms[-1] - dms[0])
    assert sustained >= 0.9 * limits.allowed_per_second("chat.postMessage"), sustained  # 5 a second
    assert bot.runtime.pacer.waits > 100  # it kept to the limits by waiting, not by luck


async def test_without_pacing_the_same_fan_out_is_answered_429(bot, emulator):
    """The check above can fail: the same fan-out with the pacer's limits scaled out of the way."""
    bot.runtime.pacer.scale = 1000.0
    expected, results, limits, _ = await fan_out(bot, emulator)
    assert limits.count_429() > 50
