"""Eight weeks of a 200-member cohort through the emulator: who gets which DM when, and what organizers see.

The script (`script.py`) says what members do and, worked out independently, what the bot must send.
Time moves with the injected clock: the bot ticks at every instant something is due, one minute
before it (nothing early), and every other day in between (nothing stray).
"""
from __future__ import annotations

import asyncio
import csv
import io
import json
import struct
from datetime import UTC, datetime, timedelta

from click.testing import CliRunner
from sqlalchemy import update

from bot.models import Cohort, Question
from bot.models.groups import GroupMember, StudyGroup
from bot.models.questionnaire import Answer
from bot.retention import views
from tests.retention import script as s
from tests.retention.script import Step

MAIN, SHARE, STEADY_GROUP, DROP_GROUP = "C0STUDY001", "C0SHARE001", "C0GSTEADY1", "C0GDROP001"
GROUPS = {STEADY_GROUP: ("g-steady", s.in_steady_group), DROP_GROUP: ("g-drop", s.in_drop_group)}


def keyed(emulator, prefix: str) -> list[tuple[str, dict, datetime]]:
    """(key, args, sent at) of every message the bot posted whose exactly-once key starts with `prefix`."""
    found = []
    for call in emulator.calls_to("chat.postMessage"):
        key = ((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", "")
        if key.startswith(prefix) and (call.response or {}).get("ok"):
            sent_at = datetime.fromtimestamp(int(float(call.response["ts"])), UTC)  # ts adds µs to stay unique
            found.append((key, call.args, sent_at))
    return found


def by_member_week(sent: list[tuple[str, dict, datetime]]) -> dict[tuple[str, int], datetime]:
    result = {}
    for key, _args, at in sent:
        _, _, _cohort, member, week = key.split(":")
        assert (member, int(week.removeprefix("week-"))) not in result, f"sent twice: {key}"
        result[(member, int(week.removeprefix("week-")))] = at
    return result


async def set_up(bot, emulator) -> Cohort:
    for index in range(s.MEMBERS):
        emulator.workspace.add_user(s.user(index), f"member{index}")
    emulator.workspace.add_channel(SHARE, "share-your-work", members={s.user(i) for i in range(s.MEMBERS)})
    for channel, (name, belongs) in GROUPS.items():
        emulator.workspace.add_channel(channel, name, is_private=True,
                                       members={s.user(i) for i in range(s.MEMBERS) if belongs(i)})
    cohort = await bot.create_cohort(weeks=s.WEEKS, session_time="Thu 18:00", share_channel_id=SHARE,
                                     organizers=["UADMIN"])
    async with bot.db.session() as session:
        await session.execute(update(Cohort).where(Cohort.id == cohort.id).values(
            breaks=[s.BREAK_BEFORE], groups_form_at=datetime(2027, 1, 1, tzinfo=UTC)))
        groups = {}
        for channel, (name, _) in GROUPS.items():
            group = StudyGroup(team_id=bot.team_id, cohort_id=cohort.id, name=name, channel_id=channel,
                               center_offset=0, status="ready", created_at=bot.clock.now())
            session.add(group)
            await session.flush()
            groups[channel] = group.id
        for index in range(s.MEMBERS):
            if s.kind(index) != "late":
                session.add(member_row(bot, cohort.id, index, groups))
        for week in range(1, s.WEEKS + 1):
            session.add(Question(team_id=bot.team_id, cohort_id=cohort.id, chapter=week, position=1,
                                 text=f"What is the key idea of chapter {week}?", imported_at=bot.clock.now()))
    return cohort


def member_row(bot, cohort_id: int, index: int, groups: dict[str, int]) -> GroupMember:
    group = next((groups[c] for c, (_, belongs) in GROUPS.items() if belongs(index)), None)
    return GroupMember(team_id=bot.team_id, cohort_id=cohort_id, user_id=s.user(index), zone=s.zone(index),
                       prefers=[], joined_at=s.joined_at(index), group_id=group)


async def plan(bot, emulator, index: int) -> None:
    """The member runs `/study remind` and picks their time in the modal."""
    await bot.slash("remind", user=s.user(index))
    await bot.settle()
    opened = emulator.calls_to("views.open")[-1].args["view"]
    assert opened["callback_id"] == views.PLAN_CALLBACK_ID
    value = s.plan_of(index)[0]
    reply = await bot.submit(opened, {views.PLAN_BLOCK: {views.PLAN_CHOICE_ACTION: {
        "type": "static_select", "selected_option": {"value": value}}}}, user=s.user(index))
    assert reply.status == 200
    await bot.settle()


async def say(bot, emulator, channel: str, index: int, text: str) -> None:
    message = emulator.workspace.post(channel, text, user=s.user(index))
    reply = await bot.event({"type": "message", "channel": channel, "channel_type": "channel",
                             "user": s.user(index), "text": text, "ts": message.ts, "event_ts": message.ts})
    assert reply.status == 200
    await bot.settle()


def steps() -> list[Step]:
    found: list[Step] = []
    for week in range(1, s.WEEKS + 1):
        found.append(Step(s.opens(week) + s.ANSWER_DELAY, 0, "answers", week=week))
        for index in range(s.MEMBERS):
            if s.shares_in(index, week):
                found.append(Step(s.share_at(index, week), 0, "share", index, week))
                if s.kind(index) == "comeback":  # a second share the same week: still one welcome back
                    found.append(Step(s.share_at(index, week) + timedelta(days=1), 0, "share", index, week))
            if s.in_steady_group(index):
                for hours in (20, 30):
                    found.append(Step(s.opens(week) + timedelta(hours=hours), 0, "group", index, week))
        for due in (s.opens(week) + s.NUDGE_DELAY, s.session(week) - timedelta(hours=24), s.opens(week)):
            found += [Step(due - timedelta(minutes=1), 1, "tick"), Step(due, 1, "tick")]
    for index in range(s.MEMBERS):
        if s.kind(index) == "opted":
            found.append(Step(s.opens(1) + timedelta(hours=1), 0, "nudges off", index))
        if s.kind(index) == "paused":
            found.append(Step(s.opens(3) + s.PAUSE_DELAY, 0, "pause", index))
        if s.kind(index) == "late":
            found.append(Step(s.joined_at(index), 0, "join", index))
    for at in s.expected_reminders().values():
        found += [Step(at - timedelta(minutes=1), 1, "tick"), Step(at, 1, "tick")]
    moment = s.opens(1) - timedelta(days=1)
    while moment < s.closes(s.WEEKS) + timedelta(days=1):
        found.append(Step(moment, 1, "tick"))
        moment += timedelta(hours=48)
    unique = {(step.at, step.order, step.action, step.index, step.week): step for step in found}
    return sorted(unique.values(), key=lambda step: (step.at, step.order, step.index))


async def run_script(bot, emulator, cohort: Cohort) -> None:
    groups = {}
    async with bot.db.session() as session:
        for channel in GROUPS:
            groups[channel] = await session.scalar(StudyGroup.__table__.select().with_only_columns(
                StudyGroup.id).where(StudyGroup.channel_id == channel))
    for index in range(s.MEMBERS):
        if s.plan_of(index) is not None and s.kind(index) != "late":
            await plan(bot, emulator, index)
    for step in steps():
        bot.clock.set(step.at)
        if step.action == "tick":
            results = await bot.tick()
            assert not [r for r in results if r.outcome == "failed"], [r.line() for r in results]
        elif step.action == "answers":
            async with bot.db.session() as session:
                for index in range(s.MEMBERS):
                    if s.answers_in(index, step.week):
                        session.add(Answer(team_id=bot.team_id, cohort_id=cohort.id, chapter=step.week, position=1,
                                           user_id=s.user(index), channel_id=MAIN,
                                           message_ts=f"{step.at.timestamp():.0f}.{index:06d}", text="my answer",
                                           posted_at=step.at, recorded_at=step.at,
                                           private=True))  # as if saved in the private form: no thread to catch up
        elif step.action == "share":
            await say(bot, emulator, SHARE, step.index, "Here's my notebook for this week")
        elif step.action == "group":
            await say(bot, emulator, STEADY_GROUP, step.index, "Anyone up for a call?")
        elif step.action == "nudges off":
            await bot.slash("nudges off", user=s.user(step.index))
            await bot.settle()
        elif step.action == "pause":
            await bot.slash(f"pause {s.PAUSE_WEEKS}", user=s.user(step.index))
            await bot.settle()
        elif step.action == "join":
            async with bot.db.session() as session:
                session.add(member_row(bot, cohort.id, step.index, groups))
            if s.plan_of(step.index) is not None:
                await plan(bot, emulator, step.index)


async def test_eight_weeks_of_200_members(bot, emulator, tmp_path, database_url):
    cohort = await set_up(bot, emulator)
    await run_script(bot, emulator, cohort)

    # Reading reminders: exactly the script's, each at the member's chosen local time, across DST changes.
    reminders = by_member_week(keyed(emulator, "retention:plan:"))
    assert reminders == s.expected_reminders()
    assert reminders[(s.user(0), 1)] == datetime(2026, 3, 5, 0, 0, tzinfo=UTC)    # New York, Wed 19:00 EST
    assert reminders[(s.user(0), 2)] == datetime(2026, 3, 11, 23, 0, tzinfo=UTC)  # New York, Wed 19:00 EDT
    assert reminders[(s.user(1), 4)] == datetime(2026, 3, 28, 10, 0, tzinfo=UTC)  # London, Sat 10:00 GMT
    assert reminders[(s.user(1), 5)] == datetime(2026, 4, 4, 9, 0, tzinfo=UTC)    # London, Sat 10:00 BST
    assert reminders[(s.user(3), 3)] == datetime(2026, 3, 18, 8, 0, tzinfo=UTC)   # Sydney, Wed 19:00 AEDT
    assert reminders[(s.user(3), 6)] == datetime(2026, 4, 8, 9, 0, tzinfo=UTC)    # Sydney, Wed 19:00 AEST
    paused = [i for i in range(s.MEMBERS) if s.kind(i) == "paused" and s.plan_of(i)]
    assert paused and all((s.user(i), 4) not in reminders for i in paused)
    texts = {key.split(":", 3)[3]: args["text"] for key, args, _ in keyed(emulator, "retention:plan:")}
    assert "Chapter 2: From Model to Production" in texts[f"{s.user(0)}:week-2"]
    assert "question" not in texts[f"{s.user(0)}:week-2"]  # already answered by then
    assert "Your next question: _What is the key idea of chapter 3?_" in texts[f"{s.user(25)}:week-3"]

    # Nudges: exactly the script's; never twice in 14 days; none to opted-out members, none in the break.
    nudges = by_member_week(keyed(emulator, "retention:nudge:"))
    assert nudges == s.expected_nudges()
    for (member, week), at in nudges.items():
        assert all(abs(at - other) >= timedelta(days=14)
                   for (m, w), other in nudges.items() if m == member and w != week)
        assert not s.closes(6) <= at < s.opens(7)
    assert not {m for m, _ in nudges} & {s.user(i) for i in range(s.MEMBERS) if s.kind(i) == "opted"}
    nudge_text = keyed(emulator, "retention:nudge:")[0][1]["text"]
    assert "normal" in nudge_text and "streak" not in nudge_text.lower()

    # Welcome backs: once per returning member, as a reply in their share's thread.
    welcomes = [(key.split(":")[3], args) for key, args, _ in keyed(emulator, "retention:welcome:")]
    assert sorted(m for m, _ in welcomes) == sorted(s.expected_welcomes())
    assert all(args["channel"] == SHARE and args.get("thread_ts") for _, args in welcomes)

    # The weekly report: once a week to the organizer, with the chart in its thread.
    reports = keyed(emulator, "retention:report:")
    assert sorted(key for key, _, _ in reports) == [f"retention:report:{cohort.id}:week-{w}:UADMIN"
                                                    for w in range(1, s.WEEKS + 1)]
    assert [at for _, _, at in reports] == [s.session(w) - timedelta(hours=24) for w in range(1, s.WEEKS + 1)]
    charts = [u for u in emulator.uploads.values() if u["filename"].startswith("week-")]  # certificates upload too
    assert len(charts) == s.WEEKS and all(u.get("thread_ts") for u in charts)
    final = reports[-1][1]["text"]
    assert "Active members per week since week 1: " + " → ".join(map(str, s.active_per_week())) in final
    assert "Members joined: 200 (0 new this week)" in final
    assert "g-drop" in final and "g-steady" not in final

    await check_cli(database_url, tmp_path)


async def check_cli(database_url: str, tmp_path) -> None:
    """`studybot report --week 5` locally: numbers, chart and CSV equal the script's."""
    from bot.main.cli import cli

    png, table = tmp_path / "week5.png", tmp_path / "week5.csv"
    result = await asyncio.to_thread(CliRunner().invoke, cli, [
        "report", "--week", "5", "--json", "--png", str(png), "--csv", str(table)],
        env={"DATABASE_URL": database_url})
    assert result.exit_code == 0, result.output
    numbers = json.loads(result.output)
    assert numbers["active_per_week"] == s.active_per_week()[:5]
    assert numbers["answers_per_chapter"] == {str(k): v for k, v in s.answers_per_chapter().items() if k <= 5}
    assert numbers["members"] == 200 and numbers["joined_this_week"] == 0
    comeback = sorted(s.user(i) for i in range(s.MEMBERS) if s.kind(i) == "comeback" or s.returner(i))
    assert numbers["came_back"] == comeback and numbers["new_sharers"] == comeback
    assert numbers["quiet_groups"] == ["g-drop"]

    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (800, 900) and 10_000 < len(data) < 300_000

    rows = list(csv.DictReader(io.StringIO(table.read_text())))
    assert len(rows) == 200 * 5
    for row in rows:
        index, week = int(row["member_id"][2:]), int(row["week"])
        assert int(row["answered"]) == int(s.answers_in(index, week)), row
        shares = int(s.shares_in(index, week)) * (2 if s.kind(index) == "comeback" else 1)
        assert int(row["shared"]) == shares, row
        assert int(row["group_messages"]) == (2 if s.in_steady_group(index) else 0), row
