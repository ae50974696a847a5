"""The retention setting (STUDYBOT_PURGE_TEXT_AFTER_MONTHS): a daily job clears what members wrote in cohorts
that finished more than N months ago, keeping every row (so progress and counts stay); off by default."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.ama.cards import card_of
from bot.ama.views import TEXT_CLEARED
from bot.models import Base, JobRun
from bot.models.ama import AmaBoard, AmaQuestion, AmaVote
from bot.models.questionnaire import Answer
from bot.models.share import SharePost
from bot.privacy.old_text import months_before
from bot.scheduling import TickResult, tick
from bot.settings import SettingsError, load_settings
from schedules import all_jobs
from schedules.privacy import JOBS
from tests.emulator.state import TEAM_ID
from tests.harness import StudyBot, text_of
from tests.privacy.test_forget_me import OTHER_TEAM

JOB = "privacy-clear-old-text"
# Europe/London, two weeks from 3 March 2026 18:00: the last week closes 17 March 18:00 UTC (before BST).
OLD_FINISHED = datetime(2026, 3, 17, 18, 0, tzinfo=UTC)
SIX_MONTHS_LATER = datetime(2026, 9, 17, 18, 0, tzinfo=UTC)
TEXT_COLUMNS = {"answers": ("text",), "share_posts": ("text", "title", "links", "files"),
                "ama_questions": ("text", "text_key", "hidden_reason")}


async def cohort_with_text(bot: StudyBot, team_id: str, name: str, start: str, channel: str) -> int:
    """A two-week cohort with one answer (thread), one private answer, one share post, one AMA question (hidden,
    with the organizer's reason) and a vote; every id but the cohort's is the same in every workspace."""
    bot.team_id = team_id
    cohort = await bot.create_cohort(name=name, channel_id=channel, weeks=2, start=start, share_channel_id="C0SHARE01")
    at = bot.clock.now()
    async with bot.db.session() as session:
        session.add_all([
            Answer(team_id=team_id, cohort_id=cohort.id, chapter=1, position=1, user_id="U1", channel_id=channel,
                   message_ts="1772560000.000100", text=f"{name}: my thread answer", posted_at=at, recorded_at=at),
            Answer(team_id=team_id, cohort_id=cohort.id, chapter=1, position=2, user_id="U1", channel_id="",
                   message_ts=f"private:{cohort.id}:1:2:U1", text=f"{name}: my private answer", private=True,
                   posted_at=at, recorded_at=at),
            SharePost(team_id=team_id, cohort_id=cohort.id, channel_id="C0SHARE01", ts=f"1772560000.{channel[-4:]}",
                      posted_at=at, week=1, user_id="U1", text=f"{name}: my notebook https://example.com/nb",
                      title="My notebook", links=["https://example.com/nb"], files=["notes.pdf"],
                      content_version="1", source="event", first_seen_at=at),
        ])
        board = AmaBoard(team_id=team_id, cohort_id=cohort.id, week=1, channel_id=channel, session_at=at, created_at=at)
        session.add(board)
        await session.flush()
        question = AmaQuestion(team_id=team_id, board_id=board.id, user_id="U1", text=f"{name}: what about ch. 2?",
                               text_key="k1", state="hidden", hidden_reason="asked twice", created_at=at)
        session.add(question)
        await session.flush()
        session.add(AmaVote(team_id=team_id, question_id=question.id, user_id="U2", changed_at=at))
    return cohort.id


async def three_cohorts(bot: StudyBot) -> dict[str, int]:
    return {
        "old": await cohort_with_text(bot, TEAM_ID, "old", "2026-03-03 18:00", "C0OLD0001"),
        "recent": await cohort_with_text(bot, TEAM_ID, "recent", "2026-04-07 18:00", "C0RECENT1"),
        # another workspace, the same channel, message and member ids as "old", a cohort finished recently
        "elsewhere": await cohort_with_text(bot, OTHER_TEAM, "old", "2026-04-07 18:00", "C0OLD0001"),
    }


async def rows(bot: StudyBot) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table but the job records, ordered by id."""
    async with bot.db.session() as session:
        return {t.name: [dict(r) for r in (await session.execute(select(t).order_by(*t.primary_key))).mappings()]
                for t in Base.metadata.sorted_tables if t.name != JobRun.__tablename__}


def without_text(snapshot: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    return {name: [{k: v for k, v in row.items() if k not in TEXT_COLUMNS.get(name, ())} for row in table]
            for name, table in snapshot.items()}


def texts_of(snapshot: dict[str, list[dict[str, Any]]], cohorts: dict[str, int], which: str) -> list[Any]:
    cohort = cohorts[which]
    boards = {b["id"] for b in snapshot["ama_boards"] if b["cohort_id"] == cohort}
    return ([a["text"] for a in snapshot["answers"] if a["cohort_id"] == cohort]
            + [(p["text"], p["title"], p["links"], p["files"])
               for p in snapshot["share_posts"] if p["cohort_id"] == cohort]
            + [(q["text"], q["hidden_reason"]) for q in snapshot["ama_questions"] if q["board_id"] in boards])


async def tick_privacy(bot: StudyBot, at: datetime) -> list[TickResult]:
    """The privacy job alone (the other jobs would post to these cohorts' channels)."""
    bot.clock.set(at)
    return await tick(bot.db, JOBS, bot.runtime.job_context())


async def runs(bot: StudyBot) -> list[tuple[str, str, str | None]]:
    async with bot.db.session() as session:
        found = await session.execute(select(JobRun.occurrence, JobRun.status, JobRun.detail)
                                      .where(JobRun.job == JOB).order_by(JobRun.id))
    return [tuple(row) for row in found]


def test_the_job_runs_with_every_other_job():
    assert [job for job in all_jobs() if job.name == JOB] == JOBS


def test_the_setting_is_off_when_empty_and_refused_when_not_a_positive_number():
    base = {"slack_bot_token": "xoxb-1"}
    assert load_settings(**base).purge_text_after_months is None
    assert load_settings(**base, STUDYBOT_PURGE_TEXT_AFTER_MONTHS="").purge_text_after_months is None
    assert load_settings(**base, STUDYBOT_PURGE_TEXT_AFTER_MONTHS="18").purge_text_after_months == 18
    with pytest.raises(SettingsError, match="^STUDYBOT_PURGE_TEXT_AFTER_MONTHS: "):
        load_settings(**base, STUDYBOT_PURGE_TEXT_AFTER_MONTHS="0")


def test_months_are_calendar_months():
    assert months_before(SIX_MONTHS_LATER, 6) == OLD_FINISHED
    assert months_before(datetime(2026, 3, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert months_before(datetime(2026, 1, 15, tzinfo=UTC), 13) == datetime(2024, 12, 15, tzinfo=UTC)


async def test_off_by_default_the_daily_job_changes_nothing(bot):
    cohorts = await three_cohorts(bot)
    before = await rows(bot)
    await tick_privacy(bot, datetime(2031, 1, 1, 12, 0, tzinfo=UTC))  # years after every cohort finished
    assert await rows(bot) == before
    assert texts_of(before, cohorts, "old")[0] == "old: my thread answer"
    assert await runs(bot) == [("2031-01-01", "done", "off: STUDYBOT_PURGE_TEXT_AFTER_MONTHS is not set, "
                                                      "members' text is kept")]


async def test_text_of_cohorts_finished_more_than_n_months_ago_is_cleared_once_a_day(emulator, database_url, clock):
    bot = await StudyBot.start(emulator, database_url, clock, purge_text_after_months=6)
    try:
        cohorts = await three_cohorts(bot)
        before = await rows(bot)
        await tick_privacy(bot, SIX_MONTHS_LATER - timedelta(days=1))  # a day short of six months: kept
        kept = await rows(bot)
        cleared_at = SIX_MONTHS_LATER + timedelta(days=1)
        ran = await tick_privacy(bot, cleared_at)
        again = await tick_privacy(bot, cleared_at + timedelta(hours=2))  # the same day's occurrence: not run twice
        after = await rows(bot)
        next_day = await tick_privacy(bot, cleared_at + timedelta(days=1))  # idempotent: nothing left to clear
        recorded = await runs(bot)
        async with bot.db.session() as session:  # a vote months later would refresh it: it says why it is empty
            questions = await session.scalars(select(AmaQuestion).order_by(AmaQuestion.id))
            shown = [(await card_of(session, question)).text for question in questions]
    finally:
        await bot.stop()
    assert kept == before
    assert texts_of(after, cohorts, "old") == ["", "", ("", None, [], []), ("", None)]
    assert texts_of(after, cohorts, "recent") == texts_of(before, cohorts, "recent") != texts_of(after, cohorts, "old")
    assert shown == [TEXT_CLEARED, "recent: what about ch. 2?", "old: what about ch. 2?"]
    assert [t for t in after if after[t] != before[t]] == ["answers", "share_posts", "ama_questions"]
    # only the text went: every other column of every row, counts, votes and states, is as it was
    assert without_text(after) == without_text(before)
    other_workspace = {t: [r for r in after[t] if r.get("team_id") == OTHER_TEAM] for t in after}
    assert other_workspace == {t: [r for r in before[t] if r.get("team_id") == OTHER_TEAM] for t in before}
    # the question's hash of its text went too, replaced by a key unique to the row
    old_question = next(q for q in after["ama_questions"] if q["text"] == "")
    assert old_question["text_key"] == f"cleared:{old_question['id']}"
    assert [r.job for r in again if r.job == JOB] == [] and [r.outcome for r in ran if r.job == JOB] == ["ran"]
    assert [r.detail for r in next_day if r.job == JOB] == [
        "cleared the text of 0 answers, 0 share posts, 0 AMA questions in 1 cohort finished before the "
        "retention period"]
    assert [(key, detail) for key, _status, detail in recorded] == [
        ("2026-09-16", "cleared the text of 0 answers, 0 share posts, 0 AMA questions in 0 cohorts finished "
                       "before the retention period"),
        ("2026-09-18", "cleared the text of 2 answers, 1 share post, 1 AMA question in 1 cohort finished "
                       "before the retention period"),
        ("2026-09-19", "cleared the text of 0 answers, 0 share posts, 0 AMA questions in 1 cohort finished "
                       "before the retention period"),
    ]


async def test_privacy_says_what_the_setting_does(bot, emulator, database_url, clock):
    await bot.slash("privacy")
    assert "kept until you delete it" in text_of(await bot.reply())
    six = await StudyBot.start(emulator, database_url, clock, purge_text_after_months=6)
    try:
        await six.slash("privacy")
        said = text_of(await six.reply(2))  # the emulator's second reply: the first was the other bot's
    finally:
        await six.stop()
    assert "cleared 6 months after your cohort ends" in said and "your progress and counts stay" in said
