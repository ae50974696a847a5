"""The place index (`bot.calendar.places`) takes a second or more to build; build it once, before the first
test whose reply waits on it."""
from __future__ import annotations

import pytest

from bot.calendar.places import warm


@pytest.fixture(scope="session", autouse=True)
def _places_index() -> None:
    warm()
