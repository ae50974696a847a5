"""Time and memory of ``form_groups`` on a realistic, seeded spread of members' time zones.

    python benchmarks/bench_form_groups.py [--members 1000 10000] [--repeats 5] [--spread realistic|uniform]

"realistic" draws zones weighted roughly like a large online reading group
(heavy in India, the US and Europe, with Nepal, Adelaide, Newfoundland, Chatham
and both sides of the date line present). "uniform" puts members on every
minute of the day, the adversarial case where no gap forces where groups split.
Time is the best of several runs (``time.perf_counter``); peak memory is taken
in a separate run under ``tracemalloc``, which would otherwise skew the time.
"""
from __future__ import annotations

import argparse
import random
import sys
import time
import tracemalloc
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.calendar.zones import Zone  # noqa: E402
from bot.groups.partition import Member, form_groups  # noqa: E402

# Relative weights, not real statistics: enough to give a lumpy, realistic circle.
ZONE_WEIGHTS = {
    "Asia/Kolkata": 22, "America/New_York": 12, "America/Los_Angeles": 9, "Europe/London": 7,
    "Europe/Berlin": 8, "America/Chicago": 5, "America/Sao_Paulo": 4, "Asia/Shanghai": 4,
    "Asia/Tokyo": 3, "Africa/Lagos": 3, "Asia/Singapore": 3, "Australia/Sydney": 3,
    "Asia/Jakarta": 2, "Europe/Moscow": 2, "Africa/Nairobi": 2, "America/Mexico_City": 2,
    "Asia/Dubai": 2, "Asia/Karachi": 2, "Asia/Dhaka": 2, "America/Denver": 2,
    "Asia/Kathmandu": 1, "Australia/Adelaide": 1, "America/St_Johns": 1, "Asia/Tehran": 1,
    "Pacific/Auckland": 1, "Pacific/Chatham": 0.1, "Pacific/Tongatapu": 0.2, "Pacific/Honolulu": 0.5,
    "America/Anchorage": 0.5, "Asia/Yangon": 0.3, "Australia/Eucla": 0.05, "Pacific/Kiritimati": 0.05,
}
AT = datetime(2026, 3, 2, tzinfo=UTC)  # a fixed instant, so the run never depends on the clock


def realistic_members(count: int, seed: int) -> list[Member]:
    rng = random.Random(seed)
    names = list(ZONE_WEIGHTS)
    offsets = {name: Zone(name).offset_minutes(AT) for name in names}
    picks = rng.choices(names, weights=[ZONE_WEIGHTS[n] for n in names], k=count)
    preferences = [frozenset(), frozenset({"weekdays"}), frozenset({"weekends"}), frozenset({"evenings"})]
    return [Member(f"U{i:06d}", offsets[name], rng.choice(preferences)) for i, name in enumerate(picks)]


def uniform_members(count: int, seed: int) -> list[Member]:
    rng = random.Random(seed)
    return [Member(f"U{i:06d}", rng.randrange(-720, 720)) for i in range(count)]


def best_time(members: list[Member], repeats: int) -> float:
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        form_groups(members)
        timings.append(time.perf_counter() - started)
    return min(timings)


def peak_memory(members: list[Member]) -> int:
    tracemalloc.start()
    try:
        form_groups(members)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--spread", choices=["realistic", "uniform"], default="realistic")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    build = realistic_members if args.spread == "realistic" else uniform_members
    print(f"form_groups, {args.spread} spread, seed {args.seed}, best of {args.repeats}")
    for count in args.members:
        members = build(count, args.seed)
        seconds = best_time(members, args.repeats)
        partition = form_groups(members)
        peak = peak_memory(members)
        print(
            f"{count:>7} members: {seconds * 1000:8.1f} ms, peak {peak / 1024 / 1024:6.2f} MiB,"
            f" {len(partition.groups)} groups, largest spread {partition.largest_spread_minutes} min"
        )


if __name__ == "__main__":
    main()
