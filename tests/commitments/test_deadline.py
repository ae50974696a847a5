"""At the deadline, one kind "Did you make it?" DM — exactly once across ticks, a restart, a crash after Slack's
answer and a refused post; [Yes] / [Not yet — give me 2 more days] (asked once more) / [Skip this week]
replace the buttons with a warm line; members who turned DMs off are not asked (issue 24)."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.commitments import views
from bot.commitments.deadline import ASK_JOB
from bot.models.retention import MemberPreferences
from tests.commitments.helpers import (
    MEMBER,
    WEDNESDAY,
    asks_in_dms,
    cohort_with_member,
    commitments,
    restart,
    slash,
    tick_dying_after_posts,
)
from tests.harness import StudyBot, text_of
from tests.home.helpers import open_home

DUE = datetime(2026, 3, 5, 20, 0, tzinfo=UTC)  # "commit thu" in London


async def committed(bot: StudyBot, day: str = "thu", *users: str):  # type: ignore[no-untyped-def]
    cohort = await cohort_with_member(bot, *users)
    for user in users or (MEMBER,):
        await slash(bot, f"commit {day}", user=user)
    return cohort


async def ticks(bot: StudyBot, start: datetime, minutes: int, every: int = 5) -> list[str]:
    """Tick every `every` minutes for `minutes` from `start`; the outcomes of the deadline job."""
    seen = []
    for step in range(0, minutes, every):
        results = await bot.tick(start + timedelta(minutes=step))
        seen += [r.outcome for r in results if r.job == ASK_JOB]
    return seen


def buttons(message: Any) -> list[str]:
    return [e["action_id"] for b in message.blocks or [] if b["type"] == "actions" for e in b["elements"]]


async def click(bot: StudyBot, message: Any, action_id: str, user: str = MEMBER) -> None:
    """The member clicks a button of the DM as Slack shows it (the button's value from the message itself)."""
    (value,) = [e["value"] for b in message.blocks if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == action_id]
    await bot.interact({
        "type": "block_actions", "user": {"id": user, "team_id": bot.team_id}, "trigger_id": uuid.uuid4().hex,
        "actions": [{"action_id": action_id, "block_id": "b", "type": "button", "value": value}],
        "response_url": bot.emulator.response_url(), "channel": {"id": message.channel},
        "container": {"type": "message", "channel_id": message.channel, "message_ts": message.ts},
        "message": {"ts": message.ts, "text": message.text},
    })
    await bot.settle()


async def test_one_dm_at_the_deadline_however_often_it_ticks_and_after_a_restart(bot, clock):
    await committed(bot)
    assert await ticks(bot, DUE - timedelta(hours=2), 120) == []  # not before 20:00 local
    assert await ticks(bot, DUE, 60) == ["ran"]
    (ask,) = asks_in_dms(bot)
    assert "did you make it through *chapter 1 (Your Deep Learning Journey)*?" in text_of(ask.as_slack()), ask
    assert buttons(ask) == [views.YES_ACTION, views.MORE_ACTION, views.SKIP_ACTION]
    (row,) = await commitments(bot)
    assert row.asked_at == DUE and row.outcome is None

    await restart(bot)
    assert await ticks(bot, DUE + timedelta(hours=1), 24 * 60, every=60) == []
    assert len(asks_in_dms(bot)) == 1


async def test_a_crash_between_slacks_answer_and_the_commit_sends_one_dm(bot, emulator, clock):
    await committed(bot, "thu", MEMBER, "U2", "U3")
    clock.set(DUE)
    await tick_dying_after_posts(bot, 2)  # Slack posted the second DM; the process died before recording it
    seen = await ticks(bot, DUE + timedelta(minutes=30), 120)
    assert "failed" not in seen, seen
    assert sorted(m.channel for m in asks_in_dms(bot)) == ["D1", "D2", "D3"]  # each member once


@pytest.mark.parametrize("failure", ["refused", "posted-then-503"])
async def test_a_slack_failure_is_retried_and_still_sends_one_dm(bot, emulator, failure):
    await committed(bot)
    if failure == "refused":
        emulator.fail_next("chat.postMessage", error="internal_error")
    else:
        emulator.accept_then_fail("chat.postMessage")
    seen = await ticks(bot, DUE, 60)
    assert seen.count("ran") == 1, seen
    assert ("failed" in seen) == (failure == "refused"), seen
    assert len(asks_in_dms(bot)) == 1


async def test_yes_replaces_the_buttons_with_a_warm_line(bot, emulator):
    await committed(bot)
    await ticks(bot, DUE, 5)
    (ask,) = asks_in_dms(bot)
    await click(bot, ask, views.YES_ACTION)
    assert buttons(ask) == [] and "Wonderful" in text_of(ask.as_slack())
    (update,) = emulator.calls_to("chat.update")
    assert update.args["ts"] == ask.ts and update.response["ok"]
    (row,) = await commitments(bot)
    assert row.outcome == "kept"
    assert "You finished chapter 1 (Your Deep Learning Journey) as you planned" in text_of(await open_home(bot))
    assert await ticks(bot, DUE + timedelta(days=2), 60) == []  # nothing more is asked


async def test_the_home_says_how_it_stands_once_the_deadline_came(bot):
    await committed(bot)
    await ticks(bot, DUE, 5)
    view = await open_home(bot)
    assert "How did chapter 1 (Your Deep Learning Journey) go?" in text_of(view)
    assert not [b for b in view["blocks"] if (b.get("accessory") or {}).get("action_id") == views.DAY_ACTION]
    await click(bot, asks_in_dms(bot)[0], views.MORE_ACTION)
    assert "I'll check in once more" in text_of(await open_home(bot))


async def test_two_more_days_asks_once_more_then_and_only_once(bot):
    await committed(bot)
    await ticks(bot, DUE, 5)
    (first,) = asks_in_dms(bot)
    await click(bot, first, views.MORE_ACTION)
    assert buttons(first) == [] and "check in once more" in text_of(first.as_slack())
    (row,) = await commitments(bot)
    assert (row.extended, row.outcome, row.due_at) == (True, "extended", DUE + timedelta(hours=48))

    assert await ticks(bot, DUE + timedelta(hours=47), 55) == []
    assert await ticks(bot, DUE + timedelta(hours=48), 60) == ["ran"]
    first_again, second = sorted(asks_in_dms(bot), key=lambda m: float(m.ts))
    assert buttons(second) == [views.YES_ACTION, views.SKIP_ACTION]  # no third chance to extend: no pressure either
    assert "two extra days are up" in text_of(second.as_slack())
    assert await ticks(bot, DUE + timedelta(hours=49), 3 * 24 * 60, every=60) == []
    assert len(asks_in_dms(bot)) == 2

    await click(bot, second, views.SKIP_ACTION)
    assert buttons(second) == [] and "some weeks are like that" in text_of(second.as_slack())
    (row,) = await commitments(bot)
    assert row.outcome == "skipped" and row.due_at == DUE + timedelta(hours=48)


async def test_skip_is_recorded_kindly_and_a_second_more_time_click_extends_only_once(bot):
    await committed(bot)
    await ticks(bot, DUE, 5)
    (ask,) = asks_in_dms(bot)
    shown = list(ask.blocks)
    await click(bot, ask, views.MORE_ACTION)
    ask.blocks = shown  # a second click on the same button, as a slow client would send it
    await click(bot, ask, views.MORE_ACTION)
    (row,) = await commitments(bot)
    assert row.due_at == DUE + timedelta(hours=48)
    ask.blocks = shown
    await click(bot, ask, views.SKIP_ACTION)
    (row,) = await commitments(bot)
    assert row.outcome == "skipped"
    text = text_of(ask.as_slack()).lower()
    assert not any(word in text for word in ("streak", "missed", "lost", "failed")), text


async def test_someone_elses_or_an_unknown_button_changes_nothing(bot, emulator):
    await committed(bot)
    await ticks(bot, DUE, 5)
    (ask,) = asks_in_dms(bot)
    emulator.workspace.add_user("U9")
    await click(bot, ask, views.YES_ACTION, user="U9")  # U9 has no commitment this week
    assert (await bot.reply())["text"] == views.BUTTON_OUT_OF_DATE
    assert emulator.calls_to("chat.update") == []
    (row,) = await commitments(bot)
    assert row.outcome is None


@pytest.mark.parametrize("opted_out", [{"nudges": False}, {"paused_until": DUE + timedelta(days=3)}])
async def test_members_who_turned_dms_off_are_not_asked(bot, opted_out):
    cohort = await committed(bot)
    async with bot.db.session() as session:
        values = {"nudges": True, "session_reminder": False, **opted_out}
        session.add(MemberPreferences(team_id=bot.team_id, cohort_id=cohort.id, user_id=MEMBER, updated_at=WEDNESDAY,
                                      **values))
    assert await ticks(bot, DUE, 60) == ["ran"]
    assert asks_in_dms(bot) == []
    (row,) = await commitments(bot)
    assert row.asked_at is None
