"""The fault scenarios report what reached the emulator: expected / seen / duplicated / lost."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import pytest

from tests.questionnaire.conftest import cohort_channel  # noqa: F401 - the cohort channel and its members

RESULTS: list[tuple[str, int, int, int, int]] = []


def tally(scenario: str, expected: Iterable[str], seen: Iterable[str]) -> tuple[int, int, int, int]:
    """Record and return (expected, seen, duplicated, lost) for one scenario's keys."""
    wanted, counts = set(expected), Counter(seen)
    row = (len(wanted), len(set(counts) & wanted), sum(n - 1 for n in counts.values() if n > 1),
           len(wanted - set(counts)))
    RESULTS.append((scenario, *row))
    return row


@pytest.fixture(scope="session", autouse=True)
def _fault_table():  # type: ignore[no-untyped-def]
    yield
    if RESULTS:
        print("\nscenario | expected | seen | duplicated | lost")
        for scenario, *row in RESULTS:
            print(f"{scenario} | " + " | ".join(str(n) for n in row))
