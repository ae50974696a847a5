"""When a week opens, members see "Week N is open" first and that week's questions after it —
on the first tick of week 1, through the emulator, with every job of the product (as `serve` runs them)."""
from __future__ import annotations

from datetime import timedelta

from tests.groups.helpers import MAIN
from tests.home.helpers import WEEK1, cohort_with_questions


def kinds(emulator) -> list[str]:  # type: ignore[no-untyped-def]
    """What reached the cohort channel, in order: "announce" or "question"."""
    found = []
    for call in emulator.posted(MAIN):
        if not call.response.get("ok"):
            continue
        key = ((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", "")
        found.append("announce" if key.startswith("announce:") else "question" if "prompt" in key else key)
    return found


async def test_the_announcement_comes_before_the_weeks_questions(bot, emulator):
    await cohort_with_questions(bot, {1: 4, 2: 5})
    await bot.tick(at=WEEK1)
    assert kinds(emulator) == ["announce", "question", "question", "question", "question"]
    assert emulator.posted(MAIN)[0].args["text"].startswith("Week 1 is open")


async def test_when_the_announcement_fails_the_questions_wait_for_it(bot, emulator):
    await cohort_with_questions(bot, {1: 4, 2: 5})
    emulator.fail_next("chat.postMessage", error="fatal_error")  # Slack had a bad moment on the first post
    await bot.tick(at=WEEK1)
    assert kinds(emulator) == []  # the questions did not go out ahead of the announcement
    await bot.tick(at=WEEK1 + timedelta(minutes=2))  # past the failed run's backoff: announcement, then questions
    assert kinds(emulator) == ["announce", "question", "question", "question", "question"]
