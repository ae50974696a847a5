"""Scenario 2: the bot dies (kill -9) in the middle of a 500-message fan-out, at the worst moment —
Slack has posted a message and the bot never recorded it — and starts again: every message exists once.

The crash is injected in-process: when the emulator has posted the 237th question, the running tick is
cancelled before it reads Slack's answer (nothing after that point runs: no commit, no failure record).
"""
from __future__ import annotations

import asyncio
from collections import Counter

from bot.database import Database
from bot.runtime import Runtime
from tests.faults.conftest import tally
from tests.faults.support import without_fsync
from tests.questionnaire.conftest import CHANNEL, WEEK1, make_cohort, tick_questionnaire

QUESTIONS = 500
CRASH_AT = 237


def prompt_keys(emulator) -> list[str]:  # type: ignore[no-untyped-def]
    return [((m.metadata or {}).get("event_payload") or {}).get("key", "")
            for m in emulator.workspace.channels[CHANNEL].messages.values() if m.metadata]


async def test_a_crash_between_slacks_answer_and_the_commit_posts_nothing_twice(bot, emulator, clock):
    without_fsync(bot.db)
    cohort = await make_cohort(bot, questions=QUESTIONS)
    clock.set(WEEK1)
    running = asyncio.ensure_future(tick_questionnaire(bot))

    def crash(call) -> None:  # type: ignore[no-untyped-def]
        if call.method == "chat.postMessage" and len(emulator.calls_to("chat.postMessage")) == CRASH_AT:
            running.cancel()

    emulator.on_call.append(crash)
    try:
        await running
    except asyncio.CancelledError:
        pass
    emulator.on_call.clear()
    await bot.runtime.db.dispose()
    assert len(prompt_keys(emulator)) == CRASH_AT

    # The restart, 45 minutes later (longer than the old 20-minute lookup window): a new process.
    bot.runtime = Runtime(settings=bot.runtime.settings, db=Database(bot.runtime.db.url), clock=clock,
                          sleep=bot.runtime.sleep, random=lambda: 1.0)
    clock.advance(minutes=45)
    results = await tick_questionnaire(bot)
    assert [r.outcome for r in results if r.job == "questionnaire-prompts"] == ["ran"]
    seen = prompt_keys(emulator)
    expected = [f"prompt:{cohort.id}:1:{n}" for n in range(1, QUESTIONS + 1)]
    assert set(seen) <= set(expected), Counter(seen).most_common(3)
    assert tally("2 crash mid fan-out (500 posts)", expected, seen) == (QUESTIONS, QUESTIONS, 0, 0)
