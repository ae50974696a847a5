"""Scenario 3: Slack accepts chat.postMessage and then answers 503, or drops the connection (what a
timeout looks like): the bot saw a failure although the post exists. No message is posted twice."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.faults.conftest import tally
from tests.faults.support import without_fsync
from tests.questionnaire.conftest import CHANNEL, WEEK1, make_cohort, tick_questionnaire

QUESTIONS = 30


def posted_keys(emulator) -> list[str]:  # type: ignore[no-untyped-def]
    return [((m.metadata or {}).get("event_payload") or {}).get("key", "")
            for m in emulator.workspace.channels[CHANNEL].messages.values() if m.metadata]


@pytest.mark.parametrize("disconnect", [False, True], ids=["503", "dropped"])
async def test_posts_slack_accepted_but_answered_badly_are_not_posted_again(bot, emulator, clock, disconnect):
    without_fsync(bot.db)
    cohort = await make_cohort(bot, questions=QUESTIONS)
    emulator.accept_then_fail("chat.postMessage", disconnect=disconnect)  # the very first post
    posts_seen = 0

    def every_third(call) -> None:  # type: ignore[no-untyped-def]
        """Arm the fault for the post after next: one post in three is accepted and answered badly."""
        nonlocal posts_seen
        if call.method == "chat.postMessage":
            posts_seen += 1
            if posts_seen % 3 == 0:
                emulator.accept_then_fail("chat.postMessage", disconnect=disconnect)

    emulator.on_call.append(every_third)
    for minute in range(5):
        await tick_questionnaire(bot, WEEK1 + timedelta(minutes=minute))
    emulator.on_call.clear()
    expected = [f"prompt:{cohort.id}:1:{n}" for n in range(1, QUESTIONS + 1)]
    assert len(emulator.calls_to("conversations.history")) >= QUESTIONS // 3  # each bad answer was looked up
    name = f"3 accepted then {'dropped' if disconnect else '503'}"
    assert tally(name, expected, posted_keys(emulator)) == (QUESTIONS, QUESTIONS, 0, 0)
