"""Fixtures for chapters done (the questionnaire's cohort channel, members and prompts) and for certificates
(scripted chapters done, and a bot with a public address)."""
from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.completion import chapters
from tests.completion.certs import MEMBERS, ORGANIZER, PUBLIC_URL, Done
from tests.harness import StudyBot
from tests.questionnaire.conftest import cohort_channel, members  # noqa: F401  (fixtures, re-exported)


@pytest.fixture
def done(monkeypatch: pytest.MonkeyPatch) -> Done:
    fake = Done()
    monkeypatch.setattr(chapters, "chapters_done_by_member", fake)
    return fake


@pytest.fixture
async def cbot(emulator, database_url, clock) -> AsyncIterator[StudyBot]:  # type: ignore[no-untyped-def]
    for user_id in MEMBERS[1:]:
        emulator.workspace.add_user(user_id, f"member {user_id.lower()}")
    emulator.workspace.add_user(ORGANIZER, "organizer")
    started = await StudyBot.start(emulator, database_url, clock, public_url=PUBLIC_URL)
    yield started
    await started.stop()
