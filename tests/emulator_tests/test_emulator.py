"""The emulator itself: it must catch the mistakes it exists to catch."""
from __future__ import annotations

import aiohttp
from slack_sdk.web.async_client import AsyncWebClient

from tests.harness import BOT_TOKEN


def client_for(emulator) -> AsyncWebClient:
    return AsyncWebClient(token=BOT_TOKEN, base_url=emulator.url)


async def raw_call(emulator, method: str, args: dict) -> dict:
    headers = {"Authorization": f"Bearer {BOT_TOKEN}"}
    async with aiohttp.ClientSession() as session:
        async with session.post(emulator.url + method, json=args, headers=headers) as response:
            return await response.json()


async def test_unknown_method_is_a_violation(emulator):
    response = await raw_call(emulator, "chat.postMessages", {"channel": "C0STUDY001", "text": "hi"})
    assert response.get("error") == "unknown_method"
    assert emulator.violations == ["chat.postMessages: no such Slack Web API method"]
    emulator.expected_violations = 1


async def test_missing_required_argument_is_a_violation(emulator):
    response = await raw_call(emulator, "reactions.add", {"channel": "C0STUDY001", "name": "white_check_mark"})
    assert response.get("error") == "invalid_arguments"
    assert "reactions.add: missing required argument(s) ['timestamp']" in emulator.violations
    emulator.expected_violations = 1


async def test_oversize_block_kit_is_a_violation(emulator):
    client = client_for(emulator)
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "x"}} for _ in range(51)]
    await client.chat_postMessage(channel="C0STUDY001", text="many", blocks=blocks)
    long_section = [{"type": "section", "text": {"type": "mrkdwn", "text": "y" * 3001}}]
    await client.chat_postMessage(channel="C0STUDY001", text="long", blocks=long_section)
    await client.chat_postMessage(channel="C0STUDY001", blocks=[{"type": "divider"}])
    await client.views_publish(user_id="U1", view={"type": "home", "blocks": [{"type": "divider"}] * 101})
    assert any("51 blocks in a message" in v for v in emulator.violations)
    assert any("section text of 3001 characters" in v for v in emulator.violations)
    assert any("without a fallback `text`" in v for v in emulator.violations)
    assert any("101 blocks in a view" in v for v in emulator.violations)
    emulator.expected_violations = len(emulator.violations)


async def test_well_formed_calls_change_state_and_are_recorded(emulator):
    client = client_for(emulator)
    posted = await client.chat_postMessage(channel="C0STUDY001", text="hello",
                                           metadata={"event_type": "t", "event_payload": {"key": "k"}})
    await client.reactions_add(channel="C0STUDY001", timestamp=posted["ts"], name="wave")
    history = await client.conversations_history(channel="C0STUDY001", include_all_metadata=True)
    message = history["messages"][0]
    assert message["text"] == "hello"
    assert message["metadata"]["event_payload"] == {"key": "k"}
    assert message["reactions"][0]["name"] == "wave"
    assert [c.method for c in emulator.calls] == ["chat.postMessage", "reactions.add", "conversations.history"]


async def test_injected_rate_limit_answers_429_with_retry_after(emulator):
    emulator.fail_next("chat.postMessage", status=429, retry_after=7)
    client = AsyncWebClient(token=BOT_TOKEN, base_url=emulator.url)
    try:
        await client.chat_postMessage(channel="C0STUDY001", text="hi")
    except Exception as error:  # noqa: BLE001
        assert error.response.status_code == 429
        assert error.response.headers["Retry-After"] == "7"
    else:
        raise AssertionError("expected a 429")


async def test_identity_methods_answer_for_the_workspace_of_the_calling_token(emulator):
    """users.info, auth.test and team.info speak for the token's workspace, not the first one:
    the same user id in two workspaces is two people."""
    from tests.emulator.state import TEAM_ID

    other = emulator.add_workspace("T0OTHER002")
    other.add_user("U1", "bea", tz="Asia/Tokyo", tz_offset=32400)
    emulator.oauth.app("1.2", "secret")
    token = emulator.oauth.issue(emulator, "T0OTHER002")["access_token"]
    first, second = client_for(emulator), AsyncWebClient(token=token, base_url=emulator.url)
    assert [(await c.users_info(user="U1"))["user"]["team_id"] for c in (first, second)] == [TEAM_ID, "T0OTHER002"]
    assert (await second.users_info(user="U1"))["user"]["tz"] == "Asia/Tokyo"
    assert [(await c.auth_test())["team_id"] for c in (first, second)] == [TEAM_ID, "T0OTHER002"]
    assert [(await c.team_info())["team"]["id"] for c in (first, second)] == [TEAM_ID, "T0OTHER002"]
    seen = [c.team_id for c in emulator.calls]
    assert seen == [TEAM_ID, "T0OTHER002", "T0OTHER002"] + [TEAM_ID, "T0OTHER002"] * 2


async def test_a_dm_is_read_by_its_own_id_with_im_history_never_by_the_user_id(emulator):
    from slack_sdk.errors import SlackApiError

    emulator.workspace.add_user("U0READER01", "reader")
    client = client_for(emulator)
    posted = await client.chat_postMessage(channel="U0READER01", text="hello")
    assert posted["channel"].startswith("D")
    opened = await client.conversations_open(users="U0READER01")
    assert opened["channel"]["id"] == posted["channel"]
    history = await client.conversations_history(channel=posted["channel"])
    assert [m["text"] for m in history["messages"]] == ["hello"]
    for method in (client.conversations_history, client.conversations_replies):
        try:
            await method(channel="U0READER01", ts=posted["ts"])
        except SlackApiError as error:
            assert error.response["error"] == "channel_not_found"
        else:
            raise AssertionError("Slack reads no conversation by a user id")
    emulator.scopes = [s for s in emulator.scopes if s != "im:history"]
    try:
        await client.conversations_history(channel=posted["channel"])
    except SlackApiError as error:
        assert error.response["error"] == "missing_scope"
    else:
        raise AssertionError("reading a DM needs im:history")


async def test_a_deactivated_member_gets_no_dm(emulator):
    from slack_sdk.errors import SlackApiError

    emulator.workspace.add_user("U0GONE0001", "gone", deleted=True)
    client = client_for(emulator)
    for call, code in ((client.chat_postMessage(channel="U0GONE0001", text="hi"), "channel_not_found"),
                       (client.conversations_open(users="U0GONE0001"), "user_disabled")):
        try:
            await call
        except SlackApiError as error:
            assert error.response["error"] == code
        else:
            raise AssertionError(code)
