"""Shared set-up for the App Home tests: a cohort with questions, members who answer in threads,
and the home as Slack receives it from `views.publish`.

Week 1 of the default cohort opens Tue 2026-03-03 18:00 Europe/London (= UTC in March); week 2 a week later.
The live session is on Thursdays at 19:00 London, so week 2's is Thu 2026-03-12 19:00 UTC.
"""
from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, update

from bot.models import Cohort, Question
from bot.models.questionnaire import Prompt
from tests.groups.helpers import MAIN, make_cohort
from tests.harness import StudyBot

WEEK1 = datetime(2026, 3, 3, 18, 0, tzinfo=UTC)
WEEK2 = datetime(2026, 3, 10, 18, 0, tzinfo=UTC)
FORMED_AT = datetime(2026, 3, 6, 18, 0, tzinfo=UTC)  # three days after week 1 opens
WEEK2_SESSION = datetime(2026, 3, 12, 19, 0, tzinfo=UTC)
DATE_TOKEN = re.compile(r"<!date\^(\d+)\^[^|>]+\|[^>]+>")


async def cohort_with_questions(bot: StudyBot, chapters: dict[int, int] | None = None, **fields: Any) -> Cohort:
    """A cohort in MAIN with a Thursday session, posting each chapter's questions all at once."""
    cohort = await make_cohort(bot, session_time="Thu 19:00", **fields)
    async with bot.db.session() as session:
        await session.execute(update(Cohort).where(Cohort.id == cohort.id).values(prompts_per_day=None))
        for chapter, count in (chapters or {1: 4, 2: 5}).items():
            for position in range(1, count + 1):
                session.add(Question(team_id=bot.team_id, cohort_id=cohort.id, chapter=chapter, position=position,
                                     text=f"Chapter {chapter}, question {position}: what does *this* mean?",
                                     imported_at=bot.clock.now()))
    return cohort


async def post_prompts(bot: StudyBot, at: datetime) -> dict[int, Prompt]:
    """Run the questionnaire's jobs at `at` (the week opening), and return that week's prompts by position."""
    from bot.scheduling import tick
    from schedules.questionnaire import JOBS

    bot.clock.set(at)
    await tick(bot.db, JOBS, bot.runtime.job_context())
    chapter = 1 if at < WEEK2 else 2
    async with bot.db.session() as session:
        rows = await session.scalars(select(Prompt).where(Prompt.chapter == chapter).order_by(Prompt.position))
        return {p.position: p for p in rows}


async def reply(bot: StudyBot, user: str, prompt: Prompt, text: str = "my answer") -> None:
    """The member replies in the question's thread, and Slack tells the bot."""
    message = bot.emulator.workspace.post(prompt.channel_id, text, user=user, thread_ts=prompt.ts)
    await bot.event({"type": "message", "channel": prompt.channel_id, "user": user, "text": text, "ts": message.ts,
                     "thread_ts": prompt.ts, "event_ts": message.ts, "channel_type": "channel"})
    await bot.settle()


async def open_home(bot: StudyBot, user: str = "U1") -> dict[str, Any]:
    """The member opens the bot's Home tab; returns the view the bot published for them."""
    before = len(bot.emulator.calls_to("views.publish"))
    await bot.event({"type": "app_home_opened", "user": user, "channel": "D0HOME0001", "tab": "home",
                     "event_ts": f"{bot.clock.now().timestamp():.6f}"})
    await bot.emulator.wait_for(lambda e: len(e.calls_to("views.publish")) > before)
    call = bot.emulator.calls_to("views.publish")[-1]
    assert call.args["user_id"] == user
    view = call.args["view"]
    assert view["type"] == "home" and len(view["blocks"]) <= 100
    return view


def buttons(view: dict[str, Any]) -> list[dict[str, Any]]:
    """Every button of the view, in order (section accessories and actions blocks)."""
    found = []
    for block in view["blocks"]:
        if block.get("accessory", {}).get("type") == "button":
            found.append(block["accessory"])
        if block["type"] == "actions":
            found += [e for e in block["elements"] if e["type"] == "button"]
    return found


def dates(text: str) -> list[datetime]:
    return [datetime.fromtimestamp(int(unix), tz=UTC) for unix in DATE_TOKEN.findall(text)]


__all__ = ["MAIN"]
