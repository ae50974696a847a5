"""Asking: the board's thread, clear refusals, near-duplicates offered, and no pings from member text."""
from __future__ import annotations

from sqlalchemy import func, select

from bot.ama import views
from bot.models.ama import AmaVote
from tests.ama.conftest import (
    CHANNEL,
    ask,
    click_payload,
    member,
    questions,
    shown_votes,
    thread_message,
    tick_ama,
)
from tests.harness import text_of

A, B, C = member(1), member(2), member(3)


async def test_a_question_opens_the_board_and_goes_in_its_thread(bot, emulator, cohort):
    reply = await ask(bot, A, "Why does fine_tune freeze the body first?")
    assert "on the board for week 1's live session" in text_of(reply)
    await ask(bot, B, "What would you change in chapter 4 today, with hindsight?")

    parents = [c for c in emulator.posted(CHANNEL) if not c.args.get("thread_ts")]
    assert len(parents) == 1 and "week 1" in parents[0].args["text"]
    first, second = await questions(bot)
    for question in (first, second):
        message = thread_message(bot, question)
        assert message.thread_ts == parents[0].response["ts"]
        assert shown_votes(bot, question) == 0  # the asker gets no automatic vote
    assert f"<@{A}>" in text_of({"blocks": thread_message(bot, first).blocks})


async def test_bad_questions_get_a_clear_reply_and_nothing_is_stored(bot, emulator, cohort):
    # (`/study ask` with nothing after it opens the form; an empty form is refused there, below)
    long = await ask(bot, A, "why " * 300)
    assert "1,199 characters" in text_of(long) and "up to 1,000" in text_of(long)
    await ask(bot, A, "Is the DataBlock API worth learning first?")
    again = await ask(bot, A, "is the datablock API worth learning first")
    assert "You already asked that" in text_of(again)
    assert [q.text for q in await questions(bot)] == ["Is the DataBlock API worth learning first?"]


async def test_member_text_never_pings(bot, emulator, cohort):
    await ask(bot, A, "<!channel> <!here> <!subteam^S123|team> <@U0M0000002> what about *this*?")
    posted = [c for c in emulator.calls if c.method in ("chat.postMessage", "chat.update")]
    everything = "\n".join(text_of(c.args) for c in posted)
    assert "<!channel>" not in everything and "<!here>" not in everything and "<!subteam" not in everything
    assert "<@U0M0000002>" not in everything
    assert "&lt;!channel&gt;" in everything


async def test_near_duplicates_are_offered_upvote_instead_or_ask_anyway(bot, emulator, cohort):
    await ask(bot, A, "How do I choose a learning rate for fine-tuning?")
    offer = await ask(bot, B, "How do I choose the learning rate for fine tuning")
    assert "very similar question" in text_of(offer)
    buttons = {e["action_id"]: e["value"] for b in offer["blocks"] if b["type"] == "actions" for e in b["elements"]}
    original, draft = await questions(bot)
    assert draft.state == "draft" and draft.ts is None  # nothing posted while the asker decides

    instead = click_payload(bot, views.UPVOTE_INSTEAD_ACTION, user=B, value=buttons[views.UPVOTE_INSTEAD_ACTION])
    await bot.interact(instead)
    await bot.interact(instead)  # a double click or a redelivery: one vote
    await bot.settle()
    async with bot.db.session() as session:
        votes = await session.scalar(select(func.count()).select_from(AmaVote).where(AmaVote.active.is_(True)))
    assert votes == 1
    await tick_ama(bot, bot.clock.now() + views_refresh())
    assert shown_votes(bot, original) == 1
    assert "also asked by 1" in text_of({"blocks": thread_message(bot, original).blocks})

    offer = await ask(bot, C, "how do i choose a learning rate for fine-tuning??")
    value = next(e["value"] for b in offer["blocks"] if b["type"] == "actions" for e in b["elements"]
                 if e["action_id"] == views.ASK_ANYWAY_ACTION)
    await bot.interact(click_payload(bot, views.ASK_ANYWAY_ACTION, user=C, value=value))
    await bot.settle()
    states = {q.user_id: q.state for q in await questions(bot)}
    assert states == {A: "open", B: "withdrawn", C: "open"}
    posted = [q for q in await questions(bot) if q.ts]
    assert {q.user_id for q in posted} == {A, C}


async def test_the_form_asks_anonymously(bot, emulator, cohort):
    await bot.slash("ask", user=A, channel=CHANNEL)
    await bot.settle()
    modal = emulator.calls_to("views.open")[-1].args["view"]
    reply = await bot.submit(modal, {
        views.QUESTION_BLOCK: {views.QUESTION_INPUT: {"type": "plain_text_input",
                                                      "value": "Is it fine to skip ch. 3?"}},
        views.ANONYMOUS_BLOCK: {views.ANONYMOUS_INPUT: {"type": "checkboxes",
                                                        "selected_options": [{"value": "anonymous"}]}},
    }, user=A)
    assert reply.json()["response_action"] == "update"
    assert "nobody sees your name" in text_of(reply.json()["view"])
    (question,) = await questions(bot)
    assert question.anonymous and question.user_id == A  # kept for moderation and forget-me
    assert "asked anonymously" in text_of({"blocks": thread_message(bot, question).blocks})

    empty = await bot.submit(modal, {views.QUESTION_BLOCK: {views.QUESTION_INPUT: {"value": " "}}}, user=A)
    assert empty.json()["response_action"] == "errors"
    assert "Type your question" in empty.json()["errors"][views.QUESTION_BLOCK]
    assert len(await questions(bot)) == 1


def views_refresh():  # type: ignore[no-untyped-def]
    from bot.ama.refresh import REFRESH_EVERY

    return REFRESH_EVERY


async def test_the_home_button_opens_the_form_and_the_board_votes(bot, emulator, cohort):
    await bot.click(views.OPEN_ASK_ACTION, user=A, channel=None)  # from the App Home: no channel, no response_url
    await bot.settle()
    assert emulator.calls_to("views.open")[-1].args["view"]["callback_id"] == views.ASK_CALLBACK

    await ask(bot, B, "Can we get the slides after the session?")
    (question,) = await questions(bot)
    await bot.slash("ama", user=A, channel=CHANNEL)
    await bot.settle()
    board = emulator.responses[-1]
    (button,) = [b["accessory"] for b in board["blocks"] if b.get("accessory")]
    assert (button["text"]["text"], button["value"]) == ("Upvote", str(question.id))
    await bot.interact(click_payload(bot, views.BOARD_VOTE_ACTION, user=A, value=button["value"]))
    await bot.settle()
    again = emulator.responses[-1]
    assert again["replace_original"] is True
    assert "✓ *1* ▲" in text_of(again) and "Remove my vote" in text_of(again)
    assert shown_votes(bot, question) == 1  # the first vote after a quiet spell shows at once


async def test_the_message_shortcut_starts_a_question_about_the_message(bot, emulator, cohort):
    said = emulator.workspace.post(CHANNEL, "Why is <@U0M0000009> using    SGD here?", user=B)
    await bot.interact({"type": "message_action", "callback_id": views.ASK_ABOUT_SHORTCUT,
                        "trigger_id": "trigger-shortcut", "user": {"id": A, "team_id": bot.team_id},
                        "channel": {"id": CHANNEL}, "message": said.as_slack(),
                        "response_url": emulator.response_url()})
    await bot.settle()
    modal = emulator.calls_to("views.open")[-1].args["view"]
    question = next(b for b in modal["blocks"] if b["block_id"] == views.QUESTION_BLOCK)
    assert question["element"]["initial_value"] == "About “Why is <@U0M0000009> using SGD here?”: "
