"""Answers collected from prompt threads: exactly what each member wrote, a bounded live count."""
from __future__ import annotations

import asyncio
import json
import random
from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import func, select, update

from bot.main.cli import cli
from bot.models import Cohort, Question
from bot.models.questionnaire import Answer
from bot.questionnaire.record import member_answers
from tests.harness import text_of
from tests.questionnaire.conftest import (
    ADA,
    CHANNEL,
    GRACE,
    WEEK1,
    gather_in_waves,
    make_cohort,
    prompts_of,
    tick_questionnaire,
)

SAMPLES = [
    "A tensor is a multi-dimensional array",
    "*Bold* and _italic_ and a list:\n• one\n• two",
    "```\nlearn = vision_learner(dls, resnet34)\nlearn.fine_tune(1)\n```",
    "勾配降下法で損失を最小化します",
    "Функция потерь должна быть гладкой",
    "x &lt; y &amp;&amp; y &gt; z — see <https://course.fast.ai|the course>",
    ":100:",
]


async def export(database_url: str, *args: str) -> dict:
    """`studybot answers export … --json`, run as a user runs it (in a thread: it has its own event loop)."""
    result = await asyncio.to_thread(
        CliRunner().invoke, cli, ["answers", "export", *args, "--json"], env={"DATABASE_URL": database_url},
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


async def test_fifty_members_answer_and_the_export_is_exactly_what_each_wrote(bot, emulator, members, database_url):
    cohort = await make_cohort(bot, questions=5, per_day=None)
    await tick_questionnaire(bot, WEEK1)
    prompts = await prompts_of(bot)
    bot.clock.set(WEEK1 + timedelta(hours=2))
    rng = random.Random(4)
    expected: dict[str, dict[int, list[str]]] = {}
    replies_sent: list[str] = []

    async def member(index: int) -> None:
        """One member's session: replies, maybe a second part, edits, deletes, redeliveries."""
        user = f"U{index:09d}"
        mine = expected.setdefault(user, {})
        for question in rng.sample(range(1, 6), 2):
            thread = prompts[question].ts
            text = f"{SAMPLES[index % len(SAMPLES)]} (member {index}, Q{question})"
            first_id = f"EvFIRST{index:03d}{question}"
            first = await members.reply(user, thread, text, broadcast=index % 9 == 0, event_id=first_id, settle=False)
            replies_sent.append(first["ts"])
            parts = [first]
            if index % 3 == 0:  # a second message continues the answer
                parts.append(await members.reply(user, thread, f"…and more from {index}", settle=False))
                replies_sent.append(parts[-1]["ts"])
            if index % 4 == 0:  # Slack redelivers the first event
                await members.send(first, event_id=first_id, settle=False)
            texts = [p["text"] for p in parts]
            if index % 5 == 0:  # an edit, replayed, then an older edit arriving late
                old_edit_ts = emulator.workspace.next_ts()
                edit = await members.edit(first, f"{text} (edited)", settle=False)
                await members.send(edit, settle=False)
                await members.edit(first, f"{text} (stale draft)", edit_ts=old_edit_ts, settle=False)
                texts[0] = f"{text} (edited)"
            if index % 7 == 0 and len(parts) > 1:  # a part deleted again
                await members.delete(parts[1], settle=False)
                texts.pop()
            mine[question] = texts

    await gather_in_waves([member(i) for i in range(50)])
    await bot.settle()

    for user in ("U000000000", "U000000021", "U000000035", "U000000049"):
        exported = await export(database_url, "--user", user)
        assert exported == {"answers": [
            {"chapter": 1, "question": q, "text": "\n\n".join(expected[user][q])} for q in sorted(expected[user])
        ]}
    async with bot.db.session() as session:
        for user, by_question in expected.items():
            got = {a.question: a.text for a in await member_answers(session, cohort.id, user)}
            assert got == {q: "\n\n".join(texts) for q, texts in by_question.items()}, user
        deleted = await session.scalar(select(func.count()).select_from(Answer).where(Answer.deleted.is_(True)))
        assert deleted == len([i for i in range(50) if i % 21 == 0]) * 2  # kept, not counted

    reacted = [c.args["timestamp"] for c in emulator.calls_to("reactions.add")]
    assert len(reacted) == len(set(reacted))  # one ✅ per reply, however many events
    assert set(reacted) <= set(replies_sent)
    assert len(reacted) >= len(replies_sent) - 2 * 3  # all but (at most) the parts deleted at once

    await tick_questionnaire(bot, WEEK1 + timedelta(hours=2, minutes=1))
    updates = emulator.calls_to("chat.update")
    assert len(updates) <= 2 * 5  # at most one at once and one after the burst, per prompt
    for question, prompt in prompts.items():
        answered = sum(1 for by_question in expected.values() if question in by_question)
        shown = emulator.workspace.message(CHANNEL, prompt.ts)
        assert f"{answered} members answered" in text_of({"text": shown.text, "blocks": shown.blocks})


async def test_a_steady_stream_of_answers_updates_the_count_at_most_every_twenty_seconds(bot, emulator, members):
    await make_cohort(bot, questions=1, per_day=None)
    await tick_questionnaire(bot, WEEK1)
    thread = (await prompts_of(bot))[1].ts
    for index in range(60):  # one answer every 5 seconds for 5 minutes
        bot.clock.set(WEEK1 + timedelta(seconds=5 * index))
        await members.reply(f"U{index:09d}", thread, f"answer {index}")
        await tick_questionnaire(bot)
    await tick_questionnaire(bot, WEEK1 + timedelta(minutes=6))
    updates = emulator.calls_to("chat.update")
    assert 300 / 20 - 2 <= len(updates) <= 300 / 20 + 2
    assert "60 members answered" in text_of(updates[-1].args)


async def test_what_is_not_an_answer_is_ignored(bot, emulator, members):
    emulator.workspace.add_user("UOTHERBOT1", "helper", is_bot=True)
    await make_cohort(bot, questions=1, per_day=None)
    await tick_questionnaire(bot, WEEK1)
    thread = (await prompts_of(bot))[1].ts
    other = await members.post(ADA, "a top-level message")
    await members.reply(ADA, other["ts"], "a reply in a thread we did not start")
    await members.send({"type": "message", "channel": CHANNEL, "bot_id": "B0OTHER", "user": "UOTHERBOT1",
                        "text": "another bot", "ts": emulator.workspace.next_ts(), "thread_ts": thread})
    await members.send({"type": "message", "channel": CHANNEL, "bot_id": "BBOT00001", "user": "UBOT00001",
                        "text": "our own", "ts": emulator.workspace.next_ts(), "thread_ts": thread})
    await members.send({"type": "message", "subtype": "channel_join", "channel": CHANNEL, "user": "U2",
                        "text": "joined", "ts": emulator.workspace.next_ts()})
    async with bot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 0
    assert emulator.calls_to("reactions.add") == []
    assert emulator.calls_to("chat.update") == []


async def test_a_broadcast_reply_counts_once_and_acknowledging_can_be_turned_off(bot, emulator, members):
    cohort = await make_cohort(bot, questions=1, per_day=None)
    await tick_questionnaire(bot, WEEK1)
    thread = (await prompts_of(bot))[1].ts
    reply = await members.reply(ADA, thread, "also sent to the channel", broadcast=True)
    await members.send(reply)  # the same message seen again, under another event id
    async with bot.db.session() as session:
        assert await session.scalar(select(func.count()).select_from(Answer)) == 1
        await session.execute(update(Cohort).where(Cohort.id == cohort.id).values(acknowledge_answers=False))
    assert [c.args["name"] for c in emulator.calls_to("reactions.add")] == ["white_check_mark"]
    await members.reply(GRACE, thread, "quietly recorded")
    assert len(emulator.calls_to("reactions.add")) == 1
    assert len(emulator.calls_to("chat.update")) == 1  # the second answer falls in the same window


async def test_bad_input_is_stored_deliberately_and_never_shows_an_error(bot, emulator, members, database_url):
    cohort = await make_cohort(bot, questions=3, per_day=None)
    await tick_questionnaire(bot, WEEK1)
    prompts = await prompts_of(bot)
    huge = ("word " * 8000).strip()  # 39,999 characters, Slack's limit is 40,000
    emoji = await members.reply(ADA, prompts[1].ts, ":thumbsup:")
    await members.reply(ADA, prompts[2].ts, huge)
    async with bot.db.session() as session:  # chapter 1 re-imported: question 3 reworded
        await session.execute(update(Question).where(Question.cohort_id == cohort.id, Question.position == 3)
                              .values(text="A reworded question three?", text_changed_at=bot.clock.now()))
    await members.reply(ADA, prompts[3].ts, "answered after the re-import")
    await members.delete({"ts": prompts[3].ts, "bot_id": "BBOT00001", "user": "UBOT00001", "text": "prompt"})
    await members.reply(GRACE, prompts[3].ts, "a reply under a deleted prompt")
    exported = await export(database_url, "--user", ADA)
    assert exported["answers"] == [
        {"chapter": 1, "question": 1, "text": ":thumbsup:"},
        {"chapter": 1, "question": 2, "text": huge},
        {"chapter": 1, "question": 3, "text": "answered after the re-import"},
    ]
    assert (await export(database_url, "--user", GRACE))["answers"][0]["text"] == "a reply under a deleted prompt"
    assert emoji["ts"] in [c.args["timestamp"] for c in emulator.calls_to("reactions.add")]
    assert all(c.response["ok"] for c in emulator.calls if c.method == "chat.update")
    assert [c for c in emulator.posted() if c.args.get("thread_ts")] == []  # nothing said in any thread
    assert emulator.calls_to("chat.postEphemeral") == []
