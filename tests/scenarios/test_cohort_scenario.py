"""A 200-member cohort over 8 weeks — the whole of issue 24 through the emulator and the running bot, ticked every
twelve hours until the certificates' window closes (two weeks after the last week).

The script: answers in the prompts' threads (one of four questions: not done; two, exactly half: done) and
`/study done [N]` (and `undo`) per member and week; quiet stretches (members who stop, members who pause three
weeks and come back); buddy opt-ins through the weeks, `/study buddy off`, `/study leave`, forget-me, quiet pairs
and answered ones, clicks on the offers; commitments (`/study commit fri`) whose "Did you make it?" DM is answered
Yes, Not yet (one more ask two days later), Skip, or not at all; late `/study done` inside the counting window;
the cohort's rule set with `complete_at`; one certificate revoked and one holder forgotten at the end.

Checked: after every tick, the buddies' invariants (nobody in two pairs, pairs of two — three only when the
third would otherwise have stayed alone — nobody waiting past a tick with a same-group partner waiting or past
48 hours, no pair holding someone who left); each week one check-in per pair together at its due time, none
twice; each deadline DM exactly once per commitment (a second only after "Not yet", none to members who left);
certificate DMs to exactly the members the script makes meet the rule, each page 200 with the member's facts,
404 for the revoked and the forgotten one; the report's survival curve, chapters-done histogram and the
buddy/commitment comparisons' n equal to the numbers computed from the script alone."""
from __future__ import annotations

import random
import re
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update

from bot.buddies import views
from bot.buddies.checkins import check_in_due
from bot.buddies.matching import WAIT_FOR_GROUP
from bot.cohorts.store import edit_cohort
from bot.cohorts.weeks import week_of
from bot.commitments import views as commitment_views
from bot.completion.issuing import revoke
from bot.models import Cohort
from bot.models.buddies import BuddyOptIn, BuddyPair, BuddyPairMember
from bot.models.groups import GroupMember
from bot.models.questionnaire import Prompt
from bot.privacy.forget import forget_member
from bot.retention.report import build_report
from bot.scheduling import tick
from schedules import buddies, certificates, commitments, questionnaire
from tests.buddies.helpers import button_values, keyed, mpims, seed
from tests.completion.certs import Page, get
from tests.harness import StudyBot, text_of
from tests.questionnaire.conftest import add_questions

ZONES = ["Europe/London", "Asia/Kolkata", "America/New_York", "Europe/Berlin", "America/Los_Angeles",
         "Asia/Tokyo", "Australia/Sydney", "America/Sao_Paulo", "Africa/Lagos", "Asia/Shanghai"]
START = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)  # the fixture clock; week 1 opens Tue 3 Mar 18:00
STEP = timedelta(hours=12)
WEEKS = 8
MEMBERS = 200
QUESTIONS = 4  # per chapter: one answer is not half, two are exactly half: done
COMPLETE_AT = 5  # the cohort's rule (its default would be 6 of 8)
PUBLIC_URL = "https://study.example.org"
# The features' jobs this scenario is about; of the questionnaire's, the one posting the prompts (the answer counts
# shown on them and the catch-up after downtime are its tests' business).
JOBS = buddies.JOBS + [questionnaire.PostPrompts()] + commitments.JOBS + certificates.JOBS
LEAVE_AT = START + timedelta(days=12, hours=3)
FORGET_AT = START + timedelta(days=15, hours=4)

# What a member does in a week, drawn once from a seeded generator: the script is fixed, and every number below
# is computed from it alone.
NOTHING, ANSWER_ONE, ANSWER_TWO, DONE_N, DONE_UNDO, ANSWER_AND_DONE, DONE_THIS_WEEK = range(7)
_DRAW = random.Random(24)
PLAN = {(i, w): _DRAW.choice([NOTHING, NOTHING, ANSWER_ONE, ANSWER_TWO, DONE_N, DONE_UNDO, ANSWER_AND_DONE,
                              DONE_THIS_WEEK])
        for i in range(MEMBERS) for w in range(1, WEEKS + 1)}
DONE_BY = {ANSWER_TWO, DONE_N, ANSWER_AND_DONE, DONE_THIS_WEEK}
ACTIVE_BY = DONE_BY | {ANSWER_ONE}  # a mark taken back the same day leaves nothing behind


def user(i: int) -> str:
    return f"U{i:04d}"


def index(user_id: str) -> int:
    return int(user_id[1:])


def zone(i: int) -> str:
    return ZONES[(i % 19) % len(ZONES)]


def leaves(i: int) -> bool:
    return i % 23 == 7


def forgotten_early(i: int) -> bool:
    return i % 29 == 3


def gone_at(i: int) -> datetime | None:
    """When the member leaves (`/study leave`) or is forgotten, if ever (in week 2)."""
    return LEAVE_AT if leaves(i) else FORGET_AT if forgotten_early(i) else None


def quiet(i: int, w: int) -> bool:
    """Quiet stretches: some stop after week 2, some pause in weeks 3–5 and come back."""
    return (i % 7 == 2 and w >= 3) or (i % 11 == 4 and 3 <= w <= 5)


def present(i: int, at: datetime) -> bool:
    gone = gone_at(i)
    return gone is None or at < gone


def acts_at(cohort: Cohort, w: int) -> datetime:
    return week_of(cohort, w).opens_at + timedelta(days=1)  # Wed 18:00 UTC: the week's prompts are out


def commit_at(cohort: Cohort, w: int) -> datetime:
    return week_of(cohort, w).opens_at + timedelta(hours=20)


def week_plan(i: int, cohort: Cohort, w: int) -> int:
    if quiet(i, w) or not present(i, acts_at(cohort, w)):
        return NOTHING
    return PLAN[(i, w)]


def commits(i: int, cohort: Cohort, w: int) -> bool:
    return i % 5 == 1 and (i + w) % 3 == 0 and present(i, commit_at(cohort, w))


def ask_answer(i: int, w: int) -> str | None:
    """The member's answer to the first "Did you make it?" (None: no answer at all)."""
    return (commitment_views.YES_ACTION, commitment_views.MORE_ACTION, commitment_views.SKIP_ACTION,
            None)[(i // 5 + w) % 4]


def second_answer(w: int) -> str | None:
    return commitment_views.YES_ACTION if w % 2 else None


def late_marker(i: int) -> bool:
    """Marks one more chapter done after the last week, inside the counting window."""
    return i % 13 == 6 and gone_at(i) is None


def tick_at_or_after(instant: datetime) -> datetime:
    steps = -(-(instant - START) // STEP)
    return START + steps * STEP


def friday_deadline(cohort: Cohort, i: int, w: int) -> datetime:
    """`/study commit fri` on Wednesday: 20:00 on that week's Friday in the member's zone."""
    friday: date = week_of(cohort, w).opens_at.date() + timedelta(days=3)
    return datetime(friday.year, friday.month, friday.day, 20, tzinfo=ZoneInfo(zone(i))).astimezone(UTC)


@dataclass
class Expected:
    """What the script alone says."""

    done_by_week8: dict[str, set[int]] = field(default_factory=dict)
    done_final: dict[str, set[int]] = field(default_factory=dict)
    active_weeks: dict[str, set[int]] = field(default_factory=dict)
    committed: set[str] = field(default_factory=set)
    asks: set[str] = field(default_factory=set)  # "Did you make it?" keys
    withheld: set[str] = field(default_factory=set)  # asks due after the member left or was forgotten


def expected_of(cohort: Cohort) -> Expected:
    found = Expected()
    for i in range(MEMBERS):
        u = user(i)
        done = {w for w in range(1, WEEKS + 1) if week_plan(i, cohort, w) in DONE_BY}
        found.done_by_week8[u] = done
        found.active_weeks[u] = {w for w in range(1, WEEKS + 1) if week_plan(i, cohort, w) in ACTIVE_BY}
        missing = sorted(set(range(1, WEEKS + 1)) - done)
        found.done_final[u] = done | ({missing[0]} if late_marker(i) and missing else set())
        for w in range(1, WEEKS + 1):
            if not commits(i, cohort, w):
                continue
            found.committed.add(u)
            due = friday_deadline(cohort, i, w)
            key = f"commitments:ask:{cohort.id}:{u}:week-{w}:ask-"
            (found.asks if present(i, tick_at_or_after(due)) else found.withheld).add(f"{key}1")
            if f"{key}1" in found.asks and ask_answer(i, w) == commitment_views.MORE_ACTION:
                later = tick_at_or_after(due + timedelta(hours=48))
                (found.asks if present(i, later) else found.withheld).add(f"{key}2")
    return found


@pytest.fixture
async def bot(emulator, database_url, clock) -> AsyncIterator[StudyBot]:  # type: ignore[no-untyped-def]
    """The running bot with a public address (the certificates' links)."""
    started = await StudyBot.start(emulator, database_url, clock, public_url=PUBLIC_URL)
    yield started
    await started.stop()


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


def _script(cohort: Cohort) -> dict[datetime, list[tuple[str, str, int]]]:
    """instant → (what, user, chapter) in the order members do it."""
    script: dict[datetime, list[tuple[str, str, int]]] = {}

    def at(when: datetime, what: str, i: int, chapter: int = 0) -> None:
        script.setdefault(when, []).append((what, user(i), chapter))

    for i in range(MEMBERS):
        if i % 3:
            at(START + timedelta(minutes=1), "buddy", i)
        else:
            at(START + timedelta(days=1 + (i // 3) % 20, hours=1), "buddy", i)
        if i % 17 == 5:
            at(START + timedelta(days=10, hours=2), "buddy off", i)
        if leaves(i):
            at(LEAVE_AT, "leave", i)
        if forgotten_early(i):
            at(FORGET_AT, "forget", i)
        for w in range(1, WEEKS + 1):
            if commits(i, cohort, w):
                at(commit_at(cohort, w), "commit fri", i)
            plan = week_plan(i, cohort, w)
            if plan in (ANSWER_ONE, ANSWER_TWO, ANSWER_AND_DONE):
                for position in range(1, 2 if plan == ANSWER_ONE else 3):
                    at(acts_at(cohort, w), "answer", i, position)
            if plan in (DONE_N, DONE_UNDO, ANSWER_AND_DONE):
                at(acts_at(cohort, w), f"done {w}", i)
            if plan == DONE_UNDO:
                at(acts_at(cohort, w), f"done {w} undo", i)
            if plan == DONE_THIS_WEEK:
                at(acts_at(cohort, w), "done", i)
    return script


async def test_two_hundred_members_over_eight_weeks(bot, emulator):
    began = time.process_time()  # the bot and the emulator run in this process: its CPU time, whatever the load
    cohort = await bot.create_cohort(weeks=WEEKS)
    async with bot.db.session() as session:
        await session.execute(update(Cohort).where(Cohort.id == cohort.id).values(prompts_per_day=None))
        await edit_cohort(session, await session.get(Cohort, cohort.id), complete_at=COMPLETE_AT)
        cohort = await session.get(Cohort, cohort.id)
    for chapter in range(1, WEEKS + 1):
        await add_questions(bot, cohort.id, chapter, QUESTIONS)
    await seed(bot, cohort.id, [(user(i), zone(i), f"g{i % 19}" if i < 190 else None) for i in range(MEMBERS)])
    expected = expected_of(cohort)
    script = _script(cohort)
    late_marks_at = week_of(cohort, WEEKS).closes_at + timedelta(days=3)
    for i in range(MEMBERS):  # late marks: after the last week, inside the counting window
        if late_marker(i) and (late := expected.done_final[user(i)] - expected.done_by_week8[user(i)]):
            script.setdefault(late_marks_at, []).append((f"done {min(late)}", user(i), 0))
    acted = {w: acts_at(cohort, w) for w in range(1, WEEKS + 1)}
    buddies_end = week_of(cohort, WEEKS).closes_at + STEP
    end = week_of(cohort, WEEKS).closes_at + timedelta(weeks=2) + STEP  # the certificates' window has closed
    dues = {check_in_due(week_of(cohort, n)): n for n in range(1, WEEKS + 1)}
    active_at_due: dict[int, set[int]] = {}
    answered: set[str] = set()
    clicked: set[str] = set()
    issued_with: dict[str, int] = {}  # member → chapters done (by the script) when their certificate was due
    at = START
    while at <= end:
        for when in sorted(w for w in script if at - STEP < w <= at):
            bot.clock.set(when)
            for what, who, position in script.pop(when):
                await _do(bot, cohort, what, who, position, when)
        if at > buddies_end:  # the cohort is over: its certificates' window is what is left
            await _tick(bot, at, JOBS[len(buddies.JOBS):])
            _note_qualifying(expected, at, issued_with, late_marks_at, acted)
            at += STEP
            continue
        _, optins, pairs, members = await _snapshot(bot)
        waiting_before = {u for u, o in optins.items() if o.active and o.pair_id is None}
        due_now = next((week for due, week in dues.items() if at - STEP < due <= at), None)
        await _tick(bot, at, JOBS)
        await _check(bot, at, waiting_before)
        if due_now is not None:  # pairs together (and introduced) by its due time, still so after the round, get it
            _, _, pairs, _ = await _snapshot(bot)
            due = check_in_due(week_of(cohort, due_now))
            active_at_due[due_now] = {pid for pid, p in pairs.items() if p.ended_at is None and p.introduced_size
                                      and p.created_at <= due}
        await _answer_and_click(bot, emulator, answered, clicked)
        await _answer_asks(bot, emulator, answered)
        _note_qualifying(expected, at, issued_with, late_marks_at, acted)
        at += STEP
    cpu = time.process_time() - began
    assert cpu < 150, cpu  # ~67 s on the 2-core machine it was written on

    # Buddies: check-ins once per pair per week, quiet pairs offered a re-match without naming anyone.
    check_ins = keyed(emulator, "buddies:checkin:")
    keys = Counter(c["metadata"]["event_payload"]["key"] for c in check_ins)
    assert max(keys.values()) == 1  # never twice
    for week, together in active_at_due.items():
        got = {int(k.split(":")[2]) for k in keys if k.endswith(f":week-{week}")}
        assert together == got, (week, together ^ got)
    assert len(active_at_due) == WEEKS and all(active_at_due.values())
    quiet_offers = keyed(emulator, "buddies:quiet:")
    assert quiet_offers and max(Counter(q["metadata"]["event_payload"]["key"] for q in quiet_offers).values()) == 1
    assert all("<@" not in q["text"] for q in quiet_offers)
    assert keyed(emulator, "buddies:offer:") and keyed(emulator, "buddies:ended:")

    # Commitments: each "Did you make it?" exactly once; a second only after "Not yet"; none to those who left.
    asks = Counter(c["metadata"]["event_payload"]["key"] for c in keyed(emulator, "commitments:ask:"))
    assert max(asks.values()) == 1
    assert set(asks) == expected.asks, set(asks) ^ expected.asks
    assert any(k.endswith("ask-2") for k in asks) and expected.withheld, expected.withheld

    # Certificates: DMs to exactly the members meeting the rule (never a forgotten one), each page for its member.
    qualifying = {u for u, done in expected.done_final.items()
                  if len(done) >= COMPLETE_AT and not forgotten_early(index(u))}
    assert [u for u in qualifying if len(expected.done_by_week8[u]) < COMPLETE_AT], "late marks count"
    dms = keyed(emulator, "certificates:")
    assert Counter(c["channel"] for c in dms) == Counter(qualifying)
    assert set(issued_with) == qualifying
    images = [u for u in emulator.uploads.values() if str(u.get("title")).startswith("Certificate of completion")]
    assert len(images) == len(qualifying) and all(u["data"].startswith(b"\x89PNG") for u in images)
    assert {m for u in images for m in emulator.workspace.channels[u["channel"]].members} >= qualifying
    links = {c["channel"]: _code(c) for c in dms}
    revoked, forgotten_late = sorted(qualifying)[:2]
    bot.clock.set(end)
    assert await revoke(bot.db, cohort, [revoked], end) == {revoked: True}
    await forget_member(bot.db, bot.team_id, forgotten_late, end)
    for member, code in links.items():
        status, html, _ = await get(bot, f"/certificates/{code}")
        if member in (revoked, forgotten_late):
            assert status == 404, member
            assert member.lower() not in html
            continue
        assert status == 200, member
        words = Page(html).words
        assert f"Awarded to {member.lower()}" in words and "This certificate is valid" in words, words
        assert f"Chapters done {issued_with[member]} of {WEEKS} chapters" in words, (member, words)
        assert "Study group fastbook" in words

    # The report (as `studybot report --json --week 8` builds it, after the end): the numbers of the script.
    everyone = {user(i) for i in range(MEMBERS) if not forgotten_early(i)} - {forgotten_late}
    last = {u: max(expected.active_weeks[u], default=0) for u in everyone}
    async with bot.db.session() as session:
        report, _ = await build_report(session, await session.get(Cohort, cohort.id), WEEKS)
    survival = report.survival
    assert survival["members"] == len(everyone) == report.members
    assert survival["still_active"] == _still_active(everyone, last)
    assert survival["share"] == [round(n / len(everyone), 4) for n in _still_active(everyone, last)]
    assert survival["still_active"][0] > survival["still_active"][-1]  # the quiet stretches show
    histogram = [0] * (WEEKS + 1)
    for u in everyone:
        histogram[len(expected.done_by_week8[u])] += 1
    assert survival["chapters_done"] == histogram
    buddied = {u for channel in mpims(emulator) for u in channel.members if u in everyone}
    for comparison, having in zip(survival["comparisons"], (buddied, expected.committed & everyone), strict=True):
        inside, outside = everyone & having, everyone - having
        assert comparison["with"]["members"] == len(inside) and comparison["without"]["members"] == len(outside)
        assert comparison["with"]["still_active"] == _still_active(inside, last), comparison["label"]
        assert comparison["without"]["still_active"] == _still_active(outside, last), comparison["label"]
    assert [c["label"] for c in survival["comparisons"]] == ["a buddy", "a commitment"]
    active = expected.active_weeks
    came_back = {u for u in everyone if WEEKS in active[u] and not active[u] & {WEEKS - 1, WEEKS - 2}
                 and active[u] & set(range(1, WEEKS - 2))}
    assert came_back and report.came_back == sorted(came_back)


def _still_active(members: set[str], last: dict[str, int]) -> list[int]:
    return [sum(1 for u in members if last[u] >= w) for w in range(1, WEEKS + 1)]


def _note_qualifying(expected: Expected, at: datetime, issued_with: dict[str, int], late_marks_at: datetime,
                     acted: dict[int, datetime]) -> None:
    """Members the script has meeting the rule by this tick: their chapters done then — what their certificate
    says (the certificates' job runs on every tick inside its window, after the members' actions)."""
    for i in range(MEMBERS):
        u = user(i)
        if u in issued_with or forgotten_early(i):
            continue
        done = (expected.done_final[u] if at >= late_marks_at
                else {w for w in expected.done_by_week8[u] if acted[w] <= at})
        if len(done) >= COMPLETE_AT:
            issued_with[u] = len(done)


def _code(message: dict) -> str:  # type: ignore[type-arg]
    found = re.search(re.escape(PUBLIC_URL) + r"/certificates/([A-Za-z0-9_-]+)", text_of(message))
    assert found, text_of(message)
    return found.group(1)


async def _tick(bot: StudyBot, at: datetime, jobs: list) -> None:  # type: ignore[type-arg]
    bot.clock.set(at)
    results = await tick(bot.db, jobs, bot.runtime.job_context())
    assert all(r.outcome != "failed" for r in results), [r.line() for r in results if r.outcome == "failed"]


async def _do(bot: StudyBot, cohort: Cohort, what: str, who: str, position: int, when: datetime) -> None:
    if what == "forget":
        await forget_member(bot.db, bot.team_id, who, when)
    elif what == "answer":
        await _reply_in_thread(bot, cohort, who, position, when)
    else:
        await _answered(bot, bot.slash(what, user=who))


async def _reply_in_thread(bot: StudyBot, cohort: Cohort, who: str, position: int, when: datetime) -> None:
    """A reply in the thread of this week's question `position`, as Slack sends the event."""
    week = next(n for n in range(WEEKS, 0, -1) if week_of(cohort, n).opens_at <= when)
    async with bot.db.session() as session:
        prompt = await session.scalar(select(Prompt).where(
            Prompt.cohort_id == cohort.id, Prompt.chapter == week, Prompt.position == position))
    assert prompt is not None, (week, position)
    text = f"{who}'s answer to question {position}"
    message = bot.emulator.workspace.post(prompt.channel_id, text, user=who, thread_ts=prompt.ts)
    await bot.event({"type": "message", "channel": prompt.channel_id, "user": who, "text": text, "ts": message.ts,
                     "thread_ts": prompt.ts, "event_ts": message.ts, "channel_type": "channel"})
    await bot.settle()


async def _answer_asks(bot: StudyBot, emulator, answered: set[str]) -> None:  # type: ignore[no-untyped-def]
    """Members answer their "Did you make it?" by the script: Yes, Not yet (then Yes or nothing), Skip, nothing."""
    for call in emulator.calls_to("chat.postMessage"):
        message = call.args
        key = ((message.get("metadata") or {}).get("event_payload") or {}).get("key", "")
        if not key.startswith("commitments:ask:") or key in answered:
            continue
        answered.add(key)
        who = message["channel"]
        week = int(key.split(":")[4].removeprefix("week-"))
        choice = second_answer(week) if key.endswith("ask-2") else ask_answer(index(who), week)
        if choice is not None:  # clicked on the DM as Slack shows it; the answer replaces its buttons there
            await bot.click(choice, button_values(message)[choice], user=who, channel=call.response["channel"],
                            message_ts=call.response["ts"])
            await bot.settle()
            shown = emulator.workspace.message(call.response["channel"], call.response["ts"])
            assert shown is not None and not button_values({"blocks": shown.blocks}), (key, shown)


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
