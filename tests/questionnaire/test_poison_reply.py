"""One reply the database can't take as written (a NUL byte: PostgreSQL refuses it; a lone surrogate: SQLite's
driver can't encode it) never blocks the answers of a whole cohort: its text is made storable (NUL removed, a
lone surrogate replaced by U+FFFD) so nothing the member wrote is lost, and a reply that still can't be stored is
logged once and skipped while the others are recorded. Run on PostgreSQL too (STUDYBOT_TEST_DATABASE_URL)."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.models.questionnaire import Answer, Prompt
from tests.questionnaire.conftest import ADA, GRACE, WEEK1, make_cohort, prompts_of, tick_questionnaire

WRITTEN = [(ADA, "a good answer"), (GRACE, "a NUL\x00 in the middle"), (ADA, "a lone \ud83d surrogate"),
           (GRACE, "another good answer")]
STORED = ["a good answer", "a NUL in the middle", "a lone \ufffd surrogate", "another good answer"]


async def _texts(bot) -> list[str]:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return list(await session.scalars(select(Answer.text).order_by(Answer.message_ts)))


async def _prompt(bot) -> Prompt:  # type: ignore[no-untyped-def]
    await make_cohort(bot, questions=1)
    await tick_questionnaire(bot, WEEK1)
    bot.clock.set(WEEK1 + timedelta(minutes=2))
    return (await prompts_of(bot))[1]


def _write_offline(emulator, prompt: Prompt) -> None:  # type: ignore[no-untyped-def]
    for user, text in WRITTEN:  # written while no event reached the bot
        emulator.workspace.post(prompt.channel_id, text, user=user, thread_ts=prompt.ts)


async def test_a_poison_reply_among_good_ones_never_blocks_the_catch_up(bot, emulator):
    _write_offline(emulator, await _prompt(bot))

    results = await tick_questionnaire(bot, WEEK1 + timedelta(minutes=10))

    assert [r.outcome for r in results if r.job == "questionnaire-catch-up"] == ["ran"]
    assert await _texts(bot) == STORED


async def test_a_poison_reply_arriving_as_an_event_is_recorded_storable(bot, emulator, members):
    prompt = await _prompt(bot)
    for user, text in WRITTEN:
        await members.reply(user, prompt.ts, text)
    assert await _texts(bot) == STORED


async def test_a_reply_that_still_cannot_be_stored_is_logged_once_and_skipped(bot, emulator, monkeypatch, caplog):
    monkeypatch.setattr("bot.messages.storable", lambda text: text)  # as if the text could not be made storable
    _write_offline(emulator, await _prompt(bot))

    for minutes in (10, 20):  # the second catch-up re-reads the thread (4 replies, 2 or 3 stored) and meets it again
        results = await tick_questionnaire(bot, WEEK1 + timedelta(minutes=minutes))
        assert [r.outcome for r in results if r.job == "questionnaire-catch-up"] == ["ran"]

    texts = await _texts(bot)
    assert texts[0] == STORED[0] and texts[-1] == STORED[-1] and len(texts) in (2, 3)  # SQLite stores a NUL
    skipped = [r for r in caplog.records if "can't be stored" in r.getMessage()]
    assert len(skipped) == 4 - len(texts)
