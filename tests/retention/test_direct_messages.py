"""Direct messages exactly once, and one member who can't be reached never fails the cohort (issue 22).

Nudges are the DM fan-out: week 3 of the default cohort opens Tue 2026-03-17 18:00 (London = UTC in March),
its nudges go a day later. A DM is found again after an unclear outcome by reading the DM (its `D…` id,
`im:history`), as Slack allows — never by reading a user id, which Slack answers `channel_not_found`.
"""
from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from bot.database import Database
from bot.models.groups import GroupMember
from bot.retention.nudges import NUDGE_JOB
from bot.retention.report import REPORT_JOB
from bot.runtime import Runtime
from tests.cohorts.test_channel_checks import slack
from tests.cohorts.test_cli import in_thread
from tests.harness import text_of

CHANNEL = "C0FASTBOOK1"
ORGANIZER = "UADMIN0001"
NUDGES_DUE = datetime(2026, 3, 18, 18, 0, tzinfo=UTC)
JOINED = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


def member(index: int) -> str:
    return f"UMEMBER{index:04d}"


@pytest.fixture(autouse=True)
def workspace(emulator):  # type: ignore[no-untyped-def]
    emulator.workspace.add_user(ORGANIZER, "organizer")
    emulator.workspace.add_channel(CHANNEL, "fastbook-2026")


async def quiet_cohort(bot, emulator, members: int):  # type: ignore[no-untyped-def]
    """A cohort of `members` who never did anything (so all are nudged in week 3), every earlier post made."""
    cohort = await bot.create_cohort(channel_id=CHANNEL, organizers=[ORGANIZER])
    async with bot.db.session() as session:
        for index in range(members):
            emulator.workspace.add_user(member(index))
            session.add(GroupMember(team_id=bot.team_id, cohort_id=cohort.id, user_id=member(index),
                                    zone="Europe/London", prefers=[], joined_at=JOINED))
    await bot.tick(NUDGES_DUE - timedelta(minutes=1))  # the announcements etc. before the nudges
    emulator.calls.clear()
    return cohort


def nudges_in_dms(emulator) -> Counter:  # type: ignore[type-arg]
    """Nudge keys of the messages that exist in members' DMs (what members see), with their counts."""
    return Counter(((m.metadata or {}).get("event_payload") or {}).get("key")
                   for channel in emulator.workspace.channels.values() if channel.id.startswith("D")
                   for m in channel.messages.values() if "nudge" in str(m.metadata))


def outcomes(results, job: str) -> list[str]:  # type: ignore[no-untyped-def]
    return [r.outcome for r in results if r.job == job]


async def tick_for_two_hours(bot) -> list[str]:  # type: ignore[no-untyped-def]
    seen = []
    for _ in range(24):
        seen += outcomes(await bot.tick(), NUDGE_JOB)
        bot.clock.advance(minutes=5)
    return seen


async def test_a_dm_slack_posted_but_answered_503_is_found_in_the_dm_not_sent_twice(bot, emulator):
    cohort = await quiet_cohort(bot, emulator, members=3)
    emulator.accept_then_fail("chat.postMessage", times=3)  # each nudge posted, each answer a 503
    bot.clock.set(NUDGES_DUE)
    seen = await tick_for_two_hours(bot)
    assert "ran" in seen and "failed" not in seen, seen
    assert nudges_in_dms(emulator) == {f"retention:nudge:{cohort.id}:{member(i)}:week-3": 1 for i in range(3)}
    assert not [c for c in emulator.calls_to("conversations.history") if not c.response["ok"]]
    assert not emulator.posted(ORGANIZER), "no alert: nothing is wrong with the cohort"


async def test_a_crash_between_slacks_answer_and_the_commit_sends_each_dm_once(bot, emulator, clock):
    cohort = await quiet_cohort(bot, emulator, members=5)
    clock.set(NUDGES_DUE)
    running = asyncio.ensure_future(bot.tick())

    def crash(call) -> None:  # type: ignore[no-untyped-def]
        if call.method == "chat.postMessage" and len(emulator.calls_to("chat.postMessage")) == 3:
            running.cancel()  # the process dies: Slack posted, nothing after this point runs

    emulator.on_call.append(crash)
    with pytest.raises(asyncio.CancelledError):
        await running
    emulator.on_call.clear()
    await bot.runtime.db.dispose()
    bot.runtime = Runtime(settings=bot.runtime.settings, db=Database(bot.runtime.db.url), clock=clock,
                          sleep=bot.runtime.sleep, random=lambda: 1.0)
    clock.advance(minutes=30)  # past the claims' lease and the job's
    seen = await tick_for_two_hours(bot)
    assert seen.count("ran") == 1 and "failed" not in seen, seen
    assert nudges_in_dms(emulator) == {f"retention:nudge:{cohort.id}:{member(i)}:week-3": 1 for i in range(5)}
    assert not emulator.posted(ORGANIZER)


async def test_without_im_history_the_organizers_are_told_the_real_cause(bot, emulator):
    """An install from before the scope: an unclear DM can't be looked for, and the alert says why."""
    cohort = await quiet_cohort(bot, emulator, members=3)
    emulator.scopes = [scope for scope in emulator.scopes if scope != "im:history"]
    emulator.accept_then_fail("chat.postMessage")
    bot.clock.set(NUDGES_DUE)
    seen = await tick_for_two_hours(bot)
    assert "failed" in seen and "ran" not in seen  # it would rather wait than risk a second copy
    assert nudges_in_dms(emulator) == {f"retention:nudge:{cohort.id}:{member(i)}:week-3": 1 for i in range(3)}
    (alert,) = [text_of(c.args) for c in emulator.posted(ORGANIZER)]
    assert "Slack said `missing_scope`" in alert and "reinstall it from manifest.yml" in alert, alert

DEACTIVATED = 117
UNREACHABLE_ALERT = (
    f":warning: I couldn't send a direct message to <@{member(DEACTIVATED)}> (*fastbook*): Slack said "
    "`channel_not_found` — they may have been deactivated or left the workspace, or they can't receive "
    "messages from apps.\nEveryone else got theirs; nothing about the cohort needs changing. "
    "`studybot doctor` and the weekly report list the members I can't reach."
)


async def test_one_deactivated_member_among_200_does_not_fail_the_nudges(bot, emulator, database_url):
    cohort = await quiet_cohort(bot, emulator, members=200)
    emulator.workspace.users[member(DEACTIVATED)].deleted = True
    bot.clock.set(NUDGES_DUE)
    seen = await tick_for_two_hours(bot)
    assert seen == ["ran"]
    delivered = nudges_in_dms(emulator)
    assert len(delivered) == 199 and set(delivered.values()) == {1}
    assert f"retention:nudge:{cohort.id}:{member(DEACTIVATED)}:week-3" not in delivered

    alerts = [text_of(c.args) for c in emulator.posted(ORGANIZER)]
    assert alerts == [UNREACHABLE_ALERT]

    doctor = await in_thread(database_url, "doctor", "--now", bot.clock.now().isoformat(), **slack(emulator))
    assert doctor.exit_code == 1
    assert (f"✗ fastbook: direct messages: could not reach 1 member ({member(DEACTIVATED)}: channel_not_found)"
            " — fix: check they are still in the workspace" in doctor.stdout), doctor.stdout

    report_due = datetime(2026, 3, 23, 18, 0, tzinfo=UTC)  # no live session: a day before week 3 closes
    results = await bot.tick(report_due)
    assert outcomes(results, REPORT_JOB) == ["ran"]
    report = [text_of(c.args) for c in emulator.posted(ORGANIZER) if "Weekly picture" in text_of(c.args)]
    assert report and f"• Direct messages: could not reach 1 member — <@{member(DEACTIVATED)}>" in report[-1], report
