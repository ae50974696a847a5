"""Certificates reach exactly the members meeting the rule, once each, with the image (issue 24).

The cohort has 4 weeks, so the rule is 3 chapters done; chapters done are scripted (`Done`). The job looks
every minute while the window is open: week 1's opening until two weeks after week 4 closes.
"""
from __future__ import annotations

import sys
from datetime import timedelta

from bot.completion.certificates import CERTIFICATES_JOB
from tests.completion.certs import (
    M2,
    M3,
    M4,
    PUBLIC_URL,
    certificates,
    dms_to,
    four_week_cohort,
    in_week,
    window_end,
)
from tests.harness import StudyBot, text_of

PNG = b"\x89PNG\r\n\x1a\n"


def certificate_runs(results) -> list:  # type: ignore[no-untyped-def]
    return [r for r in results if r.job == CERTIFICATES_JOB]


async def test_one_dm_with_an_image_to_exactly_the_members_meeting_the_rule(cbot, emulator, done):
    cohort = await four_week_cohort(cbot)
    done.set("U1", 3)  # the rule: 3 of 4
    done.set(M2, 2)  # not yet
    done.set(M3, 4)
    had_matplotlib = "matplotlib" in sys.modules
    results = await cbot.tick(in_week(cohort, 3))
    assert ("matplotlib" in sys.modules) == had_matplotlib  # drawn in a child process: serve never imports it
    assert [r.outcome for r in certificate_runs(results)] == ["ran"]
    rows = await certificates(cbot)
    assert set(rows) == {"U1", M3}
    assert {user: row.chapters_done for user, row in rows.items()} == {"U1": 3, M3: 4}
    for user in ("U1", M3):
        [dm] = dms_to(emulator, user)
        words = text_of(dm.args)
        assert "Deep Learning for Coders with fastai and PyTorch" in words
        assert f"{PUBLIC_URL}/certificates/{rows[user].code}" in words
        assert f"{rows[user].chapters_done} of 4 chapters done" in words
    assert dms_to(emulator, M2) == [] and dms_to(emulator, M4) == []
    uploads = list(emulator.uploads.values())
    assert len(uploads) == 2
    assert all(upload["data"].startswith(PNG) and upload["filename"] == "certificate.png" for upload in uploads)
    assert sorted(upload["channel"] for upload in uploads) == ["D0MEMBER03", "D1"]  # each in the member's own DM
    assert all(row.notified_at is not None and row.display_name for row in rows.values())
    assert rows["U1"].display_name == "ada"  # the name Slack shows (users.info → profile.display_name)


async def test_never_twice_across_ticks_and_a_restart_and_the_late_ones_follow(cbot, emulator, done, database_url,
                                                                               clock):
    cohort = await four_week_cohort(cbot)
    done.set("U1", 3)
    await cbot.tick(in_week(cohort, 3))
    for minutes in (1, 2, 60):
        await cbot.tick(in_week(cohort, 3) + timedelta(minutes=minutes))
    restarted = await StudyBot.start(emulator, database_url, clock, public_url=PUBLIC_URL)
    try:
        await restarted.tick(in_week(cohort, 4))
        done.set(M2, 3)  # U2 catches up in week 4
        await restarted.tick(in_week(cohort, 4) + timedelta(minutes=1))
        await cbot.tick(in_week(cohort, 4) + timedelta(minutes=2))  # the first process too: nothing new
    finally:
        await restarted.stop()
    assert len(dms_to(emulator, "U1")) == 1 and len(dms_to(emulator, M2)) == 1
    assert len(emulator.uploads) == 2
    assert set(await certificates(cbot)) == {"U1", M2}


async def test_chapters_count_until_two_weeks_after_the_last_week_and_not_after(cbot, emulator, done):
    cohort = await four_week_cohort(cbot)
    await cbot.tick(in_week(cohort, 1))
    done.set("U1", 3)
    await cbot.tick(window_end(cohort) - timedelta(minutes=1))  # the last minute of the window: still counts
    done.set(M2, 4)
    results = await cbot.tick(window_end(cohort))
    await cbot.tick(window_end(cohort) + timedelta(days=3))
    assert certificate_runs(results) == []  # no occurrence at all once the window closed
    assert sorted(await certificates(cbot)) == ["U1"]
    assert dms_to(emulator, M2) == []


async def test_before_week_one_nothing_is_looked_at(cbot, done):
    cohort = await four_week_cohort(cbot)
    done.set("U1", 4)
    results = await cbot.tick(in_week(cohort, 1, days=-1))
    assert certificate_runs(results) == [] and done.reads == 0
    assert await certificates(cbot) == {}


async def test_a_member_no_dm_reaches_does_not_stop_the_others(cbot, emulator, done):
    cohort = await four_week_cohort(cbot)
    emulator.workspace.users[M2].deleted = True
    done.set("U1", 3)
    done.set(M2, 3)
    results = await cbot.tick(in_week(cohort, 3))
    assert [r.outcome for r in certificate_runs(results)] == ["ran"]
    assert len(dms_to(emulator, "U1")) == 1
    await cbot.tick(in_week(cohort, 3) + timedelta(minutes=1))
    assert len(emulator.posted()) == len({c.args["channel"] for c in emulator.posted()})  # nothing repeated
