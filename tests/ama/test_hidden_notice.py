"""The asker's private notice when an organizer hides their question: exactly once through a lost answer
(issue 22)."""
from __future__ import annotations

from bot.ama import views
from tests.ama.conftest import ASKER, ORGANIZER, ask, menu, questions
from tests.ama.test_running import state_of
from tests.harness import text_of

REASON = "Advertising isn't a question."


async def hide(bot, emulator, question_id: int):  # type: ignore[no-untyped-def]
    await menu(bot, ORGANIZER, "hide", question_id)
    modal = emulator.calls_to("views.open")[-1].args["view"]
    reply = await bot.submit(modal, {views.REASON_BLOCK: {views.REASON_INPUT: {"value": REASON}}}, user=ORGANIZER)
    await bot.settle()
    return reply


def said_to_organizer(emulator) -> list[str]:  # type: ignore[no-untyped-def]
    return [text_of(c.args) for c in emulator.calls if c.method in ("chat.postMessage", "chat.postEphemeral")
            and ORGANIZER in (c.args.get("channel"), c.args.get("user"))] + [text_of(r) for r in emulator.responses]


def notices(emulator) -> list[str]:  # type: ignore[no-untyped-def]
    found = [text_of({"text": m.text, "blocks": m.blocks}) for channel in emulator.workspace.channels.values()
             if channel.id.startswith("D") for m in channel.messages.values()]
    return [text for text in found if REASON in text]


async def test_a_notice_slack_posted_but_answered_503_is_not_sent_again(bot, emulator, cohort):
    await ask(bot, ASKER, "Buy my course at example.com")
    (spam,) = await questions(bot)
    before = said_to_organizer(emulator)
    emulator.accept_then_fail("chat.postMessage")
    assert (await hide(bot, emulator, spam.id)).status == 200
    await hide(bot, emulator, spam.id)  # the organizer, unsure, hides it again with the same reason
    assert len(notices(emulator)) == 1
    assert (await state_of(bot, spam.id)).state == "hidden"
    assert said_to_organizer(emulator) == before, "no error shown: the asker was told"

