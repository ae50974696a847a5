"""100 members asking and voting at once — double clicks, redelivered actions and a restart in the
middle — end with exact counts on the messages, in the database and in the export."""
from __future__ import annotations

import asyncio
import json
import random
from collections import Counter
from datetime import timedelta

from sqlalchemy import func, select

from bot.ama import views
from bot.ama.voting import DOUBLE_CLICK
from bot.models.ama import AmaVote
from tests.ama.conftest import CHANNEL, click_payload, member, questions, shown_votes, tick_ama
from tests.ama.test_cli import studybot
from tests.harness import StudyBot

WORDS = ("gradient tensor epoch batch kernel pixel corpus token label loss metric layer bias weight dropout "
         "stride filter pooling softmax sigmoid embedding vocabulary encoder decoder attention momentum "
         "scheduler optimizer augmentation resize crop normalize validation holdout leakage overfit "
         "underfit regularize ensemble bagging boosting forest stump entropy cardinality category "
         "continuous tabular collaborative latent factor baseline benchmark notebook deploy inference "
         "export server browser mobile camera bear teddy grizzly black cloud widget upload labels "
         "confusion matrix precision recall threshold curve random seed reproducible shuffle sample").split()
ASKERS = 30


def question_text(n: int) -> str:
    words = random.Random(n).sample(WORDS, 9)
    return f"{n}: " + " ".join(words) + "?"


async def test_a_hundred_members_end_with_exact_counts(bot, emulator, cohort, database_url):
    members = [member(n) for n in range(100)]
    await asyncio.gather(*(bot.slash(f"ask {question_text(n)}", user=members[n], channel=CHANNEL)
                           for n in range(ASKERS)))
    await bot.settle(timeout=120)
    await tick_ama(bot)  # posts any question whose board parent another asker was still posting
    asked = await questions(bot)
    assert len(asked) == ASKERS and all(q.ts and q.state == "open" for q in asked)
    ids = [q.id for q in asked]

    # Each member votes for a deterministic handful of questions; some double-click, some clicks
    # are delivered twice, and half arrive after a restart.
    plan = [(m, q) for m in members for q in random.Random(m).sample(ids, 4)]
    first, second = plan[: len(plan) // 2], plan[len(plan) // 2:]
    payloads = {pair: click_payload(bot, views.UPVOTE_ACTION, user=pair[0], value=str(pair[1])) for pair in plan}
    double_clicks = [click_payload(bot, views.UPVOTE_ACTION, user=m, value=str(q)) for m, q in first[::5]]
    redelivered = [payloads[pair] for pair in first[::7]]

    await asyncio.gather(*(bot.interact(payloads[pair]) for pair in first),
                         *(bot.interact(p) for p in double_clicks), *(bot.interact(p) for p in redelivered))
    await bot.settle(timeout=120)

    await bot.stop()  # a restart in the middle: a new process on the same database
    bot = await StudyBot.start(emulator, database_url, bot.clock)
    try:
        bot.clock.set(bot.clock.now() + DOUBLE_CLICK + timedelta(seconds=1))
        # members who take a vote back (a real second click, not a double click), and the
        # first half's clicks redelivered once more after the restart
        taken_back = first[::3]
        await asyncio.gather(*(bot.interact(payloads[pair]) for pair in second),
                             *(bot.interact(click_payload(bot, views.UPVOTE_ACTION, user=m, value=str(q)))
                               for m, q in taken_back),
                             *(bot.interact(payloads[pair]) for pair in first[1::6]))
        await bot.settle(timeout=120)

        expected = Counter(q for pair in plan if pair not in set(taken_back) for q in [pair[1]])
        async with bot.db.session() as session:
            rows = await session.execute(select(AmaVote.question_id, func.count()).where(AmaVote.active.is_(True))
                                         .group_by(AmaVote.question_id))
            assert dict(rows.all()) == {q: n for q, n in expected.items() if n}

        await tick_ama(bot, bot.clock.now() + timedelta(minutes=1))  # the next minute's flush
        for question in await questions(bot):
            assert shown_votes(bot, question) == expected[question.id], question.id
        updates = len(emulator.calls_to("chat.update"))
        assert updates <= 3 * ASKERS, f"{updates} chat.update calls: the refresh is not throttled"

        result = await studybot(emulator, database_url, "ama", "export", "--session", "1", "--json")
        exported = {row["question"]: row["votes"] for row in json.loads(result.output)["questions"]}
        assert exported == {q.text: expected[q.id] for q in await questions(bot)}
    finally:
        await bot.stop()
