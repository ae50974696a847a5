"""The emulator opens group DMs as Slack does: `conversations.open` with several users gives the one mpim of exactly
those people (and the app), the same each time; reading it needs `mpim:history`, opening it `mpim:write`."""
from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError

from tests.emulator_tests.test_emulator import client_for


async def _error(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(SlackApiError) as caught:
        await call
    return str(caught.value.response["error"])


async def test_one_group_dm_per_set_of_people(emulator):
    for user in ("U2", "U3", "U4"):
        emulator.workspace.add_user(user)
    client = client_for(emulator)
    first = (await client.conversations_open(users="U2,U3"))["channel"]
    assert first["is_mpim"] and (await client.conversations_open(users="U3,U2"))["channel"]["id"] == first["id"]
    assert (await client.conversations_open(users="U2,U3,U4"))["channel"]["id"] != first["id"]
    assert emulator.workspace.channels[first["id"]].members == {"U2", "U3", "UBOT00001"}
    posted = await client.chat_postMessage(channel=first["id"], text="hello")
    history = await client.conversations_history(channel=first["id"])
    assert [m["ts"] for m in history["messages"]] == [posted["ts"]]
    assert await _error(client.conversations_open(users="U2,UNOBODY01")) == "user_not_found"
    many = [f"U9{i:02d}" for i in range(9)]
    for user in many:
        emulator.workspace.add_user(user)
    assert await _error(client.conversations_open(users=",".join(many))) == "too_many_users"
    emulator.scopes = [s for s in emulator.scopes if s not in ("mpim:history", "mpim:write")]
    assert await _error(client.conversations_history(channel=first["id"])) == "missing_scope"
    assert await _error(client.conversations_open(users="U2,U4")) == "missing_scope"
