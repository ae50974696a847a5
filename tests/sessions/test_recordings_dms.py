"""Answers found in the recording: the asker (anonymous ones too, privately) and every upvoter get one DM
with the question and a link to the moment — once per person per question, in every order of events."""
from __future__ import annotations

from datetime import timedelta

import pytest

from bot.ama import views
from bot.ama.moments import parse_moment
from bot.errors import StudyError
from tests.ama.conftest import (  # noqa: F401  (fixtures)
    ASKER,
    CHANNEL,
    ORGANIZER,
    ama_channel,
    ask,
    member,
    questions,
    upvote,
)
from tests.harness import text_of
from tests.sessions.recording_steps import (
    AFTER_SESSION1,
    WEEK1_OPEN,
    YOUTUBE,
    answer_dms,
    answer_form,
    question_row,
    said,
)

OPTED_OUT = member(4)
OTHER_LINK = "https://www.youtube.com/watch?v=ZZZzzz98765"


@pytest.fixture
async def cohort(bot):  # type: ignore[no-untyped-def]
    """The AMA tests' cohort: channel C0AMA00001, sessions on Thursdays at 18:00 UTC, one organizer."""
    return await bot.create_cohort(channel_id=CHANNEL, session_time="thu 18:00", organizers=[ORGANIZER])


async def ask_anonymously(bot, user: str, text: str) -> None:  # type: ignore[no-untyped-def]
    await bot.slash("ask", user=user, channel=CHANNEL)
    await bot.settle()
    modal = bot.emulator.calls_to("views.open")[-1].args["view"]
    await bot.submit(modal, {
        views.QUESTION_BLOCK: {views.QUESTION_INPUT: {"value": text}},
        views.ANONYMOUS_BLOCK: {views.ANONYMOUS_INPUT: {"selected_options": [{"value": "anonymous"}]}},
    }, user=user)
    await bot.settle()


async def board(bot) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Week 1 announced; an anonymous question (upvoted by 2, 3 and the opted-out 4) and a named one (asked by
    1, upvoted by 2 and 5); member 4 turned DMs off. The clock ends after the session."""
    await bot.tick(WEEK1_OPEN)
    await ask_anonymously(bot, ASKER, "Why does the learning rate finder stop before the loss explodes?")
    await ask(bot, member(1), "Would you still start with ResNet-34 today?")
    anonymous, named = await questions(bot)
    for voter, question in ((member(2), anonymous), (member(3), anonymous), (OPTED_OUT, anonymous),
                            (member(2), named), (member(5), named)):
        await upvote(bot, voter, question.id)
    await bot.settle()
    assert "off" in (await said(bot, "nudges off", user=OPTED_OUT)).lower()
    bot.clock.set(AFTER_SESSION1)
    return anonymous.id, named.id


async def run_step(bot, step: str, anonymous: int, named: int) -> None:  # type: ignore[no-untyped-def]
    if step == "recording":
        assert "saved" in await said(bot, f"admin recording 1 {YOUTUBE}")
    elif step == "replaced":
        assert "now points to the new link" in await said(bot, f"admin recording 1 {OTHER_LINK}")
    elif step == "answered":
        reply = await answer_form(bot, anonymous, "12:34")
        assert reply.status == 200 and "errors" not in reply.text
        assert "arked answered" in await said(bot, f"admin ama answered {named} 1:02:03")
    elif step == "slack fails":  # the next post Slack refuses (a thread post or a DM): the sweep sends it later
        bot.emulator.fail_next("chat.postMessage", error="fatal_error")
    elif step == "slack 503":  # the next post takes effect but its answer is lost: found, not sent again
        bot.emulator.accept_then_fail("chat.postMessage", status=503)
    bot.clock.set(bot.clock.now() + timedelta(minutes=1))


ORDERS = [
    ("recording", "answered"),
    ("answered", "recording"),
    ("answered", "recording", "replaced"),
    ("recording", "replaced", "answered"),
    ("recording", "slack fails", "answered"),
    ("answered", "slack fails", "recording"),
    ("slack fails", "recording", "slack 503", "answered"),
    ("answered", "slack 503", "recording", "replaced"),
]


@pytest.mark.parametrize("order", ORDERS, ids=["-then-".join(o).replace(" ", "-") for o in ORDERS])
async def test_each_asker_and_upvoter_gets_one_dm_per_question_in_every_order(bot, emulator, cohort, order):
    anonymous, named = await board(bot)
    for step in order:
        await run_step(bot, step, anonymous, named)
    for _ in range(3):  # the job's sweep: retries what failed, then finds nothing left
        await bot.tick(bot.clock.now() + timedelta(minutes=1))
    await run_step(bot, "answered", anonymous, named)  # marking it again sends nothing new
    await bot.tick(bot.clock.now() + timedelta(minutes=1))

    expected = {ASKER: 1, member(1): 1, member(2): 2, member(3): 1, member(5): 1, OPTED_OUT: 0}
    assert {user: len(answer_dms(bot, user)) for user in expected} == expected
    (private,) = answer_dms(bot, ASKER)
    assert "Your question" in private["text"] and "t=754s" in text_of(private)
    upvoted = {text_of(dm) for dm in answer_dms(bot, member(2))}
    assert any("learning rate finder" in t and "t=754s" in t for t in upvoted)
    assert any("ResNet-34" in t and "t=3723s" in t for t in upvoted)
    assert all("A question you upvoted" in t for t in upvoted)
    both = max(order.index("recording"), order.index("answered"))  # the DMs go when both are there
    link = OTHER_LINK if "replaced" in order and order.index("replaced") < both else YOUTUBE
    assert link.split("=")[1] in text_of(private)  # the recording's link when the DM went; never a second DM
    for call in emulator.calls:  # the anonymous asker is named nowhere but in reaching their own DM
        if call.args.get("channel") not in (ASKER, "D" + ASKER[1:]) and call.method != "conversations.open":
            assert ASKER not in str(call.args) and "secretasker" not in str(call.args)


@pytest.mark.parametrize(("url", "link", "written"), [
    ("https://www.youtube.com/watch?v=abcDEF12345", "https://www.youtube.com/watch?v=abcDEF12345&amp;t=754s", False),
    ("https://youtu.be/abcDEF12345?t=10", "https://youtu.be/abcDEF12345?t=754s", False),
    ("https://vimeo.com/123456789", "https://vimeo.com/123456789#t=754s", False),
    ("https://zoom.us/rec/share/Abc-123", "https://zoom.us/rec/share/Abc-123", True),
])
async def test_the_link_goes_to_the_moment(bot, emulator, cohort, url, link, written):
    await bot.tick(WEEK1_OPEN)
    await ask(bot, member(7), "How many epochs for the pets example?")
    (question,) = await questions(bot)
    bot.clock.set(AFTER_SESSION1)
    await said(bot, f"admin recording 1 {url}")
    await answer_form(bot, question.id, "12:34")
    (dm,) = answer_dms(bot, member(7))
    shown = text_of(dm)
    assert f"<{link}|" in shown and "How many epochs for the pets example?" in shown
    assert ("the answer is at 12:34" in shown) is written
    assert ("Watch the answer (from 12:34)" in shown) is not written


@pytest.mark.parametrize("typed", ["99:99", "garbage", "12:60", "1:60:00", "6:00:01", "7:00:00", "400:00", "-1:00"])
async def test_a_bad_moment_is_refused_under_the_field_and_changes_nothing(bot, emulator, cohort, typed):
    await ask(bot, member(8), "Is fine-tuning always better?")
    (question,) = await questions(bot)
    bot.clock.set(AFTER_SESSION1)
    reply = await answer_form(bot, question.id, typed)
    errors = reply.json()["errors"]
    assert list(errors) == ["ama_moment"] and "\n" not in errors["ama_moment"]
    command = await said(bot, f"admin ama answered {question.id} {typed}")
    assert "Nothing was changed" in command and "\n" not in command
    row = await question_row(bot, question.id)
    assert row.state == "open" and row.recording_moment is None


@pytest.mark.parametrize(("typed", "seconds"), [("12:34", 754), ("1:02:03", 3723), ("0:05", 5), ("6:00:00", 21600),
                                                ("75:00", 4500)])
def test_moments_as_organizers_type_them(typed, seconds):
    assert parse_moment(typed) == seconds


def test_an_empty_moment_is_no_moment():
    with pytest.raises(StudyError):
        parse_moment("")


async def test_members_cannot_mark_answered_and_a_moment_can_come_later(bot, emulator, cohort):
    await bot.tick(WEEK1_OPEN)
    await ask(bot, member(9), "What is a DataBlock for?")
    (question,) = await questions(bot)
    bot.clock.set(AFTER_SESSION1)
    assert "only this cohort's organizers" in await said(bot, f"admin ama answered {question.id} 3:00",
                                                         user=member(10))
    assert (await question_row(bot, question.id)).state == "open"
    await answer_form(bot, question.id, "")  # answered during the session, no moment yet
    await said(bot, f"admin recording 1 {YOUTUBE}")
    assert answer_dms(bot, member(9)) == []
    reply = await said(bot, f"admin ama answered {question.id} 3:00")  # watching the recording afterwards
    assert "It was marked answered already" in reply and "1 member got a link" in reply
    (dm,) = answer_dms(bot, member(9))
    assert "t=180s" in text_of(dm)
