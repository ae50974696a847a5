"""A 200-member cohort over 8 weeks, the buddies' part: scripted opt-ins through the weeks, `/study buddy off`,
`/study leave`, forget-me, quiet pairs and answered ones, clicks on the offers — ticked every twelve hours.

After every tick: nobody is in two pairs, every pair has two members (three only when the third would otherwise
have stayed alone), nobody waits past a tick with a same-group partner waiting or past 48 hours, no pair holds
someone who left; each week one check-in per pair that was together at its due time, and none twice."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Awaitable
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from bot.buddies import views
from bot.buddies.checkins import check_in_due
from bot.buddies.matching import WAIT_FOR_GROUP
from bot.cohorts.weeks import week_of
from bot.models.buddies import BuddyOptIn, BuddyPair, BuddyPairMember
from bot.models.groups import GroupMember
from bot.privacy.forget import forget_member
from tests.buddies.helpers import button_values, keyed, seed, tick_buddies

ZONES = ["Europe/London", "Asia/Kolkata", "America/New_York", "Europe/Berlin", "America/Los_Angeles",
         "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo", "Africa/Lagos", "Asia/Shanghai"]
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # the fixture clock; week 1 opens Tue 3 Mar 18:00
STEP = timedelta(hours=12)
WEEKS = 8


def user(i: int) -> str:
    return f"U{i:04d}"


def index(user_id: str) -> int:
    return int(user_id[1:])


async def _snapshot(bot):  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        joined = {m.user_id: m.group_id for m in await session.scalars(
            select(GroupMember).where(GroupMember.left_at.is_(None)))}
        optins = {o.user_id: o for o in await session.scalars(select(BuddyOptIn))}
        pairs = {p.id: p for p in await session.scalars(select(BuddyPair))}
        members: dict[int, set[str]] = {}
        for pair_id, user_id in await session.execute(select(BuddyPairMember.pair_id, BuddyPairMember.user_id)):
            members.setdefault(pair_id, set()).add(user_id)
    return joined, optins, pairs, members


async def _check(bot, now: datetime, waiting_before: set[str]) -> None:  # type: ignore[no-untyped-def]
    joined, optins, pairs, members = await _snapshot(bot)
    active = {pid: members.get(pid, set()) for pid, p in pairs.items() if p.ended_at is None}
    seen = Counter(u for users in active.values() for u in users)
    assert not [u for u, n in seen.items() if n > 1], "a member in two pairs"
    assert all(len(users) in (2, 3) for users in active.values()), active
    assert all(u in joined and optins[u].active for users in active.values() for u in users), "a pair holds a leaver"
    past = {frozenset((a, b)) for users in members.values() for a in users for b in users if a != b}
    waiting = {u for u, o in optins.items() if o.active and o.pair_id is None and u in joined}
    for u in waiting:
        assert now - optins[u].opted_in_at < WAIT_FOR_GROUP, f"{u} waited past 48 hours"
        same = [v for v in waiting if v != u and joined[v] == joined[u] and joined[u] is not None
                and frozenset((u, v)) not in past]
        assert not same, f"{u} and {same} of one group both wait after a tick"
    new_trios = [pid for pid, users in active.items() if len(users) == 3 and pairs[pid].size == 3
                 and any(u in waiting_before for u in users)]
    if new_trios:
        assert not waiting, ("a trio was made while someone else was waiting",
                             [(u, joined.get(u), optins[u].opted_in_at) for u in waiting],
                             [(u, joined.get(u), optins[u].opted_in_at, u in waiting_before)
                              for pid in new_trios for u in active[pid]], now)


async def test_two_hundred_members_over_eight_weeks(bot, emulator):
    began = time.process_time()  # the bot and the emulator run in this process: its CPU time, whatever the load
    cohort = await bot.create_cohort()
    await seed(bot, cohort.id, [(user(i), ZONES[(i % 19) % len(ZONES)], f"g{i % 19}" if i < 190 else None)
                                for i in range(200)])
    script: dict[datetime, list[tuple[str, str]]] = {}  # instant → (command text, user)
    for i in range(200):
        if i % 3:
            script.setdefault(START + timedelta(minutes=1), []).append(("buddy", user(i)))
        else:
            script.setdefault(START + timedelta(days=1 + (i // 3) % 20, hours=1), []).append(("buddy", user(i)))
        if i % 17 == 5:
            script.setdefault(START + timedelta(days=10, hours=2), []).append(("buddy off", user(i)))
        if i % 23 == 7:
            script.setdefault(START + timedelta(days=12, hours=3), []).append(("leave", user(i)))
        if i % 29 == 3:
            script.setdefault(START + timedelta(days=15, hours=4), []).append(("forget", user(i)))
    end = week_of(cohort, WEEKS).closes_at + STEP
    dues = {check_in_due(week_of(cohort, n)): n for n in range(1, WEEKS + 1)}
    active_at_due: dict[int, set[int]] = {}
    answered: set[str] = set()
    clicked: set[str] = set()
    at = START
    while at <= end:
        for when in sorted(w for w in script if at - STEP < w <= at):
            bot.clock.set(when)
            for text, who in script.pop(when):
                if text == "forget":
                    await forget_member(bot.db, bot.team_id, who, when)
                else:
                    await _answered(bot, bot.slash(text, user=who))
        _, optins, pairs, members = await _snapshot(bot)
        waiting_before = {u for u, o in optins.items() if o.active and o.pair_id is None}
        due_now = next((week for due, week in dues.items() if at - STEP < due <= at), None)
        await tick_buddies(bot, at)
        await _check(bot, at, waiting_before)
        if due_now is not None:  # pairs together (and introduced) by its due time, still so after the round, get it
            _, _, pairs, _ = await _snapshot(bot)
            due = check_in_due(week_of(cohort, due_now))
            active_at_due[due_now] = {pid for pid, p in pairs.items() if p.ended_at is None and p.introduced_size
                                      and p.created_at <= due}
        await _answer_and_click(bot, emulator, answered, clicked)
        at += STEP
    assert time.process_time() - began < 60

    check_ins = keyed(emulator, "buddies:checkin:")
    keys = Counter(c["metadata"]["event_payload"]["key"] for c in check_ins)
    assert max(keys.values()) == 1  # never twice
    for week, expected in active_at_due.items():
        got = {int(k.split(":")[2]) for k in keys if k.endswith(f":week-{week}")}
        assert expected == got, (week, expected ^ got)
    assert len(active_at_due) == WEEKS and all(active_at_due.values())
    quiet = keyed(emulator, "buddies:quiet:")
    assert quiet and max(Counter(q["metadata"]["event_payload"]["key"] for q in quiet).values()) == 1
    assert all("<@" not in q["text"] for q in quiet)
    assert keyed(emulator, "buddies:offer:") and keyed(emulator, "buddies:ended:")


async def _answer_and_click(bot, emulator, answered: set[str], clicked: set[str]) -> None:  # type: ignore[no-untyped-def]
    """Pairs answer their check-ins by a script on their first member (a quarter never, a quarter "Not this week");
    members offered a new match click "Find me a new buddy" by a script on their index."""
    for message in keyed(emulator, "buddies:checkin:"):
        key = message["metadata"]["event_payload"]["key"]
        if key in answered:
            continue
        answered.add(key)
        pair_id = int(key.split(":")[2])
        async with bot.db.session() as session:
            first = min(await session.scalars(select(BuddyPairMember.user_id).where(
                BuddyPairMember.pair_id == pair_id)), default=None)
        if first is None or index(first) % 4 == 0:
            continue
        choice = "none" if index(first) % 4 == 1 else "both"
        await _answered(bot, bot.click(views.CHECKIN_ACTIONS[choice],
                                       button_values(message)[views.CHECKIN_ACTIONS[choice]],
                                       user=first, channel=message["channel"]))
    for message in keyed(emulator, "buddies:quiet:") + keyed(emulator, "buddies:offer:"):
        key = message["metadata"]["event_payload"]["key"]
        who = message["channel"]
        if key in clicked or index(who) % 2 == 0:
            continue
        clicked.add(key)
        await _answered(bot, bot.click(views.NEW_BUDDY_ACTION, button_values(message)[views.NEW_BUDDY_ACTION],
                                       user=who, channel=f"D{who[1:]}"))


async def _answered(bot, request: Awaitable[object]) -> None:  # type: ignore[no-untyped-def]
    """Send a command or click and wait for its one reply: its work is done before the next tick."""
    before = len(bot.emulator.responses)
    await request
    await bot.emulator.wait_for(lambda e: len(e.responses) > before, timeout=30)
    await bot.settle()
