"""The survival curve in the weekly report: a scripted cohort's activity, and the exact numbers in `build_report`,
`studybot report --json`, `--curve-csv`, the text and the chart (a step curve beside chapters done per member).

The script (8 chapters of 2 questions, report of week 6; "still active in week w" = active in week w or later):

    member  joined   active in weeks (how)                                 last  chapters done by week 6
    M1      before   1–6 (answers Q1 of chapter w in week w)               6     6
    M2      before   1 (answer), 7 (answer: after the report's week)       1     1
    M3      before   2 (`/study done 2`)                                   2     1
    M4      before   1 (group messages), 4 (mark chapter 4)                4     1
    M5      before   never                                                 –     0
    M6      before   3 (a share)                                           3     0
    M7      week 3   3 (answer chapter 3), 5 (mark chapter 5)              5     2
    M8      week 7   7 (mark): joined after the report's week, not counted
"""
from __future__ import annotations

import asyncio
import csv
import io
import json
import struct
from datetime import timedelta

import pytest
from click.testing import CliRunner

from bot.cohorts.weeks import week_of
from bot.models.completion import ChapterMark
from bot.models.retention import MemberGroupMessages
from bot.models.share import SharePost
from bot.retention import chart, survival
from bot.retention.report import build_report
from tests.completion.helpers import join, private_answer, study
from tests.questionnaire.conftest import add_questions

M = [f"U0MEMBER0{i}" for i in range(1, 9)]
STILL_ACTIVE = [6, 5, 4, 3, 2, 1]
SHARES = [0.8571, 0.7143, 0.5714, 0.4286, 0.2857, 0.1429]
CHAPTERS_DONE = [2, 3, 1, 0, 0, 0, 1, 0, 0]  # members with 0, 1, … 8 chapters done
BUDDIES = {M[0], M[3], "U0NOTJOINED"}  # with: M1 (last 6), M4 (last 4); without: M2, M3, M5, M6, M7
COMMITTED = {M[6]}  # with: M7 (last 5); without: M1–M6


async def scripted_cohort(bot):  # type: ignore[no-untyped-def]
    cohort = await bot.create_cohort(weeks=8)
    for chapter in range(1, 9):
        await add_questions(bot, cohort.id, chapter, 2)

    def day(week: int):  # type: ignore[no-untyped-def]
        return week_of(cohort, week).opens_at + timedelta(days=1)

    await join(bot, cohort, *M[:6], at=day(1) - timedelta(days=3))
    await join(bot, cohort, M[6], at=day(3))
    await join(bot, cohort, M[7], at=day(7))
    for week in range(1, 7):
        await private_answer(bot, cohort, M[0], week, 1, at=day(week))
    await private_answer(bot, cohort, M[1], 1, 1, at=day(1))
    await private_answer(bot, cohort, M[1], 7, 1, at=day(7))
    await private_answer(bot, cohort, M[6], 3, 1, at=day(3))
    async with bot.db.session() as session:
        session.add(MemberGroupMessages(team_id=bot.team_id, cohort_id=cohort.id, user_id=M[3], week=1, messages=3))
        session.add(SharePost(team_id=bot.team_id, cohort_id=cohort.id, channel_id="C0SHARE001", ts="1.000100",
                              posted_at=day(3), week=3, user_id=M[5], source="event", first_seen_at=day(3)))
        for user, chapter, week in ((M[3], 4, 4), (M[6], 5, 5), (M[7], 7, 7)):
            session.add(ChapterMark(team_id=bot.team_id, cohort_id=cohort.id, user_id=user, chapter=chapter,
                                    marked_at=day(week)))
    bot.clock.set(day(2))
    assert "Chapter 2 is marked done" in await study(bot, "done", M[2], channel="C0STUDY001")  # through Slack
    bot.clock.set(day(7) + timedelta(hours=1))
    return cohort


@pytest.fixture
def seams(monkeypatch):  # type: ignore[no-untyped-def]
    async def with_buddy(session, cohort_id):  # type: ignore[no-untyped-def]
        return set(BUDDIES)

    async def with_commitment(session, cohort_id):  # type: ignore[no-untyped-def]
        return set(COMMITTED)

    monkeypatch.setattr(survival, "members_with_buddy", with_buddy)
    monkeypatch.setattr(survival, "members_with_commitment", with_commitment)


async def test_the_curve_equals_the_scripted_members_activity(bot, seams):
    cohort = await scripted_cohort(bot)
    async with bot.db.session() as session:
        report, activity = await build_report(session, cohort, 6)
    curve = report.survival
    assert curve["members"] == 7 and report.members == 7
    assert curve["still_active"] == STILL_ACTIVE and curve["share"] == SHARES
    assert curve["chapters_done"] == CHAPTERS_DONE
    buddy, commitment = curve["comparisons"]
    assert buddy == {"label": "a buddy", "with": {"members": 2, "still_active": [2, 2, 2, 2, 1, 1],
                                                   "share": [1.0, 1.0, 1.0, 1.0, 0.5, 0.5]},
                     "without": {"members": 5, "still_active": [4, 3, 2, 1, 1, 0],
                                 "share": [0.8, 0.6, 0.4, 0.2, 0.2, 0.0]}}
    assert commitment["with"]["still_active"] == [1, 1, 1, 1, 1, 0]
    assert commitment["without"] == {"members": 6, "still_active": [5, 4, 3, 2, 1, 1],
                                     "share": [0.8333, 0.6667, 0.5, 0.3333, 0.1667, 0.1667]}
    text = report.text()
    assert "of 7 who joined: 86% → 71% → 57% → 43% → 29% → 14%" in text
    assert "Members by chapters done (0, 1, 2, …): 2, 3, 1, 0, 0, 0, 1" in text
    assert "With a buddy (n=2): 50% still active in week 6; without (n=5): 0%" in text
    assert "With a commitment (n=1): 0% still active in week 6; without (n=6): 17%" in text
    assert "because" not in text and "cause" not in text  # descriptive wording only
    assert activity.active_users(2) == {M[0], M[2]}  # a mark is activity: M3's only one is `/study done` in week 2
    async with bot.db.session() as session:  # week 3's report stops at week 3: M4's and M7's later weeks wait
        early, _ = await build_report(session, cohort, 3)
    assert early.survival["still_active"] == [6, 4, 3] and early.survival["members"] == 7


async def test_without_buddies_or_commitments_the_text_shows_no_comparison(bot):
    cohort = await scripted_cohort(bot)
    async with bot.db.session() as session:
        report, _ = await build_report(session, cohort, 6)
    assert [c["with"]["members"] for c in report.survival["comparisons"]] == [0, 0]
    assert "With a" not in report.text()


async def test_studybot_report_writes_the_curve_as_json_csv_and_a_step_curve_in_the_png(bot, seams, database_url,
                                                                                         tmp_path):
    await scripted_cohort(bot)
    png, table, curve_table = tmp_path / "week6.png", tmp_path / "week6.csv", tmp_path / "curve.csv"
    from bot.main.cli import cli

    result = await asyncio.to_thread(CliRunner().invoke, cli, [
        "report", "--week", "6", "--json", "--png", str(png), "--csv", str(table), "--curve-csv", str(curve_table)],
        env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.output)["survival"]
    assert numbers["still_active"] == STILL_ACTIVE and numbers["share"] == SHARES
    assert numbers["chapters_done"] == CHAPTERS_DONE and "later week" in numbers["definition"]

    rows = list(csv.DictReader(io.StringIO(curve_table.read_text())))
    everyone = [r for r in rows if r["series"] == "everyone"]
    assert [int(r["still_active"]) for r in everyone] == STILL_ACTIVE
    assert [float(r["share"]) for r in everyone] == SHARES and {r["members"] for r in everyone} == {"7"}
    assert [int(r["still_active"]) for r in rows if r["series"] == "without_buddy"] == [4, 3, 2, 1, 1, 0]
    assert {r["series"] for r in rows} == {"everyone", "with_buddy", "without_buddy", "with_commitment",
                                           "without_commitment"}
    marked = {(r["member_id"], int(r["week"])) for r in csv.DictReader(io.StringIO(table.read_text()))
              if r["marked_done"] != "0"}
    assert marked == {(M[2], 2), (M[3], 4), (M[6], 5)}

    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", data[16:24]) == (800, 900)


def test_the_chart_draws_the_share_as_steps_and_chapters_done_as_bars():
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    numbers = {"members": 7, "share": SHARES, "chapters_done": CHAPTERS_DONE,
               "comparisons": [{"label": "a buddy", "with": {"members": 2, "share": [1.0] * 6},
                                "without": {"members": 5, "share": [0.5] * 6}},
                               {"label": "a commitment", "with": {"members": 0, "share": [0.0] * 6},
                                "without": {"members": 7, "share": SHARES}}]}
    figure = Figure()
    steps, bars = figure.add_subplot(1, 2, 1), figure.add_subplot(1, 2, 2)
    chart._survival(steps, list(range(1, 7)), numbers)
    chart._chapters_done(bars, CHAPTERS_DONE)
    everyone, buddies = steps.lines  # no line for a comparison with an empty side
    assert everyone.get_drawstyle() == "steps-mid"
    assert [round(y, 2) for y in everyone.get_ydata()] == [round(100 * s, 2) for s in SHARES]
    assert everyone.get_label() == "Everyone (n=7)" and buddies.get_label() == "With a buddy (n=2)"
    assert [patch.get_height() for patch in bars.patches] == CHAPTERS_DONE
