"""Forming groups for a realistic cohort: 300 members join by slash command, the scheduled job forms
groups, creates private channels, invites everyone once and posts intros with meeting times."""
from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

from bot.groups.group_activity import overview, show_json
from bot.models import Cohort
from tests.emulator.state import BOT_USER_ID
from tests.groups.helpers import (
    ORGANIZER,
    add_to_workspace,
    date_tokens,
    groups,
    join_all,
    make_cohort,
    members,
    offset_at,
    people,
    slash_reply,
    tick_groups,
)
from tests.harness import text_of

# After the US (8 Mar) but before the European (29 Mar) and Australian (5 Apr) clock changes.
FORMED_AT = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def spread(offsets: list[int]) -> int:
    """Shortest arc of the day holding every offset: try each member as the arc's start."""
    return min(max((o - start) % 1440 for o in offsets) for start in offsets)


def independent_optimum_is(answer: int, offsets: list[int], low: int, high: int) -> bool:
    """True when some partition into runs of the sorted circle reaches `answer` and none reaches less.

    A plain DP per rotation (any partition into runs of ≤ high has a cut among any `high` consecutive slots).
    """
    ordered = sorted(o % 1440 for o in offsets)
    count = len(ordered)

    def feasible(limit: int) -> bool:
        for start in range(min(high, count)):
            line = [ordered[(start + k) % count] + (1440 if start + k >= count else 0) for k in range(count)]
            ok = [True] + [False] * count
            for end in range(1, count + 1):
                ok[end] = any(ok[end - size] and line[end - 1] - line[end - size] <= limit
                              for size in range(low, min(high, end) + 1))
            if ok[count]:
                return True
        return False

    return feasible(answer) and not feasible(answer - 1)


async def test_300_members_from_every_zone_join_and_the_job_forms_optimal_groups(bot, emulator):
    emulator.workspace.add_user(ORGANIZER, tz="Europe/London")
    await make_cohort(bot, organizers=[ORGANIZER])
    persons = people(300)
    add_to_workspace(emulator, persons, bot.clock.now())
    started = time.perf_counter()
    await join_all(bot, persons)
    joined = await members(bot)
    assert {p.user_id: p.zone_name() for p in persons} == {u: m.zone for u, m in joined.items()}
    assert sum(1 for p in persons if not p.profile_zone) >= 20  # some members gave a zone by hand

    results = await tick_groups(bot, FORMED_AT)
    assert [r.outcome for r in results if r.job == "groups-form"] == ["ran"]

    async with bot.db.session() as session:
        cohort = await session.get(Cohort, 1)
        data = show_json(*await overview(session, cohort, FORMED_AT))
    grouped = [u for g in data["groups"] for u in g["members"]]
    assert sorted(grouped) == sorted(p.user_id for p in persons) and data["waiting"] == []
    assert all(4 <= len(g["members"]) <= 8 for g in data["groups"])

    # Offsets are those of formation time: New York is on summer time (UTC-4) since 8 March.
    zone_of_user = {p.user_id: p.zone_name() for p in persons}
    for group in data["groups"]:
        expected = [offset_at(zone_of_user[u], FORMED_AT) / 60 for u in group["members"]]
        assert group["utc_offsets"] == expected
    assert -4 in {o for g in data["groups"] for o in g["utc_offsets"]}

    largest = max(spread([round(o * 60) for o in g["utc_offsets"]]) for g in data["groups"])
    all_offsets = [offset_at(zone_of_user[p.user_id], FORMED_AT) for p in persons]
    assert independent_optimum_is(largest, all_offsets, 4, 8)

    await _check_channels_invites_and_intros(bot, emulator, data)
    assert time.perf_counter() - started < 60  # a guard against pathologies, not a benchmark


async def _check_channels_invites_and_intros(bot, emulator, data) -> None:  # type: ignore[no-untyped-def]
    creates = emulator.calls_to("conversations.create")
    assert len(creates) == len(data["groups"]) and all(c.args["is_private"] in (True, "true", "1") for c in creates)
    invited = Counter((c.args["channel"], u) for c in emulator.calls_to("conversations.invite")
                      for u in str(c.args["users"]).split(","))
    assert set(invited.values()) == {1}  # nobody invited twice
    for group in data["groups"]:
        channel = emulator.workspace.channels[group["channel"]]
        assert channel.is_private and channel.name == group["name"]
        assert channel.members == set(group["members"]) | {ORGANIZER, BOT_USER_ID}
        intros = emulator.posted(group["channel"])
        assert len(intros) == 1
        text = text_of(intros[0].args)
        assert all(f"<@{u}>" in text for u in group["members"])
        slots = date_tokens(text)
        assert 2 <= len(slots) <= 3 and slots == [datetime.fromisoformat(s) for s in group["meeting_slots"]]
        assert all(FORMED_AT <= s < FORMED_AT + timedelta(days=7) for s in slots)
    summary = emulator.posted(ORGANIZER)
    assert len(summary) == 1 and f"Formed {len(data['groups'])} study groups for 300 members" in summary[0].args["text"]


def set_partitions(items: list[int]) -> Iterator[list[list[int]]]:
    if not items:
        yield []
        return
    first, rest = items[0], items[1:]
    for partition in set_partitions(rest):
        for i in range(len(partition)):
            yield partition[:i] + [[first, *partition[i]]] + partition[i + 1:]
        yield [[first], *partition]


async def test_a_small_formation_on_demand_matches_brute_force_over_every_partition(bot, emulator):
    """Nine members, groups of 3–4, formed by an organizer in Slack: the largest spread is the true optimum."""
    emulator.workspace.add_user(ORGANIZER, tz="Europe/London")
    await make_cohort(bot, organizers=[ORGANIZER])
    zones = ["Pacific/Honolulu", "Pacific/Tongatapu", "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns",
             "Europe/Lisbon", "Australia/Darwin", "Pacific/Chatham", "America/Anchorage"]
    for i, zone in enumerate(zones):
        emulator.workspace.add_user(f"U{i:05d}", tz=zone)
        await slash_reply(bot, "join", user=f"U{i:05d}")
    text = await slash_reply(bot, "admin groups form --min 3 --max 4", user=ORGANIZER)
    assert "Formed 3 study groups for 9 members" in text  # quick: the progress note was replaced before the ack

    now = bot.clock.now()
    by_user = {f"U{i:05d}": offset_at(zone, now) for i, zone in enumerate(zones)}
    joined = await members(bot)
    formed = {m.group_id for m in joined.values()}
    assert len(formed) == 3
    got = max(spread([by_user[u] for u, m in joined.items() if m.group_id == g]) for g in formed)
    offsets = list(by_user.values())
    best = min(
        max(spread([offsets[i] for i in block]) for block in partition)
        for partition in set_partitions(list(range(9)))
        if all(3 <= len(block) <= 4 for block in partition)
    )
    assert got == best


async def test_too_few_members_for_the_minimum_form_one_group_and_say_so(bot, emulator):
    emulator.workspace.add_user(ORGANIZER, tz="Europe/London")
    await make_cohort(bot, organizers=[ORGANIZER])
    for user, zone in [("U2", "Asia/Tokyo"), ("U3", "America/Chicago"), ("U4", "Europe/Paris")]:
        emulator.workspace.add_user(user, tz=zone)
        await slash_reply(bot, "join", user=user)
    await tick_groups(bot, FORMED_AT)
    assert len(await groups(bot)) == 1
    summary = emulator.posted(ORGANIZER)[0].args["text"]
    assert "Formed 1 study group for 3 members" in summary
    note = text_of(emulator.posted(ORGANIZER)[0].args)
    assert "fewer than the minimum group size of 4, so they form one group together" in note


async def test_a_non_organizer_cannot_form_groups(bot, emulator):
    await make_cohort(bot, organizers=[ORGANIZER])
    text = await slash_reply(bot, "admin groups form", user="U1")
    assert "only this cohort's organizers" in text
    assert emulator.calls_to("conversations.create") == [] and await groups(bot) == []
