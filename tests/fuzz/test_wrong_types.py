"""Signed requests that Slack would never send but a proxy or a sender with the secret could: another
charset in `Content-Type`, fields of the wrong type, a malformed `event_id`. Each is a 4xx (or handled as
UTF-8), never a 5xx, and none of them puts the server into its database-outage mode.
"""
from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzz.test_public_surface import FUZZ, _check, _ensure_cohort, _row_counts, wrong_typed
from tests.harness import SIGNING_SECRET

CHANNEL = "C0STUDY001"
# Every event shape the bot listens to, with every field a listener or Bolt's matchers read.
EVENT_SHAPES: dict[str, dict[str, Any]] = {
    "message": {"type": "message", "channel": CHANNEL, "user": "U1", "text": "hello", "ts": "1.000001",
                "channel_type": "channel", "event_ts": "1.000001"},
    "thread reply": {"type": "message", "channel": CHANNEL, "user": "U1", "text": "a reply", "ts": "2.000001",
                     "thread_ts": "1.000001", "channel_type": "channel", "event_ts": "2.000001",
                     "files": [{"id": "F1"}]},
    "message_changed": {"type": "message", "subtype": "message_changed", "channel": CHANNEL, "ts": "3.000001",
                        "event_ts": "3.000001", "hidden": True,
                        "message": {"type": "message", "user": "U1", "text": "edited", "ts": "1.000001",
                                    "thread_ts": "1.000001", "edited": {"user": "U1", "ts": "3.000001"},
                                    "reply_count": 1},
                        "previous_message": {"type": "message", "user": "U1", "text": "hello", "ts": "1.000001"}},
    "message_deleted": {"type": "message", "subtype": "message_deleted", "channel": CHANNEL, "ts": "4.000001",
                        "deleted_ts": "1.000001", "event_ts": "4.000001", "hidden": True,
                        "previous_message": {"type": "message", "user": "U1", "text": "hello", "ts": "1.000001"}},
    "im": {"type": "message", "channel": "D0STUDY001", "channel_type": "im", "user": "U1", "text": "help",
           "ts": "5.000001", "event_ts": "5.000001"},
    "bot message": {"type": "message", "subtype": "bot_message", "bot_id": "B1", "channel": CHANNEL,
                    "text": "hi", "ts": "6.000001"},
    "reaction_added": {"type": "reaction_added", "user": "U1", "reaction": "white_check_mark",
                       "item": {"type": "message", "channel": CHANNEL, "ts": "1.000001"}, "item_user": "U2",
                       "event_ts": "7.000001"},
    "reaction_removed": {"type": "reaction_removed", "user": "U1", "reaction": "white_check_mark",
                         "item": {"type": "message", "channel": CHANNEL, "ts": "1.000001"}, "item_user": "U2",
                         "event_ts": "8.000001"},
    "app_home_opened": {"type": "app_home_opened", "user": "U1", "channel": "D0STUDY001", "tab": "home",
                        "event_ts": "9.000001"},
    "app_uninstalled": {"type": "app_uninstalled", "event_ts": "10.000001"},
    "tokens_revoked": {"type": "tokens_revoked", "tokens": {"oauth": ["U1"], "bot": ["UBOT00001"]},
                       "event_ts": "11.000001"},
}
_EVENT_IDS = itertools.count(1)
def _envelope(event: Any, event_id: Any = None, team_id: Any = "T0STUDY01") -> dict[str, Any]:
    return {"token": "legacy", "team_id": team_id, "api_app_id": "A0STUDY", "type": "event_callback",
            "event": event, "event_id": event_id or "EvWRONG1", "event_time": 1,
            "authorizations": [{"team_id": "T0STUDY01", "user_id": "UBOT00001", "is_bot": True}]}


async def _post_event(bot: Any, envelope: Any, content_type: str = "application/json") -> Any:
    return await bot.post(json.dumps(envelope), content_type)


# ---- charset ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("charset", ["bogus", "utf-16", "latin-1", "UTF-8", ""])
async def test_a_signed_event_naming_another_charset_is_read_as_utf8(bot, charset: str) -> None:
    await _ensure_cohort(bot)
    event = {**EVENT_SHAPES["im"], "text": "hélp ✅"}
    reply = await _post_event(bot, _envelope(event, "EvCHARSET" + "".join(filter(str.isalnum, charset))),
                              f"application/json; charset={charset}")
    assert reply.status == 200, reply.text
    await bot.settle()
    assert bot.emulator.calls, "the event was handled (read as UTF-8), not dropped"


@pytest.mark.parametrize("charset", ["bogus", "utf-16", "latin-1"])
async def test_a_signed_command_naming_another_charset_is_read_as_utf8(bot, charset: str) -> None:
    form = urlencode({"token": "legacy", "team_id": bot.team_id, "channel_id": CHANNEL, "user_id": "U1",
                      "command": "/study", "text": "help", "api_app_id": "A0STUDY", "trigger_id": "trigger-1",
                      "response_url": bot.emulator.response_url()})
    reply = await bot.post(form, f"application/x-www-form-urlencoded; charset={charset}")
    assert reply.status == 200, reply.text


async def test_a_body_that_is_not_utf8_is_refused_whatever_its_charset_says(bot) -> None:
    body = json.dumps(_envelope(EVENT_SHAPES["im"])).encode("utf-16")
    stamp = str(int(time.time()))
    digest = hmac.new(SIGNING_SECRET.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    headers = {"Content-Type": "application/json; charset=utf-16", "X-Slack-Request-Timestamp": stamp,
               "X-Slack-Signature": f"v0={digest}"}
    async with bot.session.post(bot.url, data=body, headers=headers) as response:
        assert response.status == 400


# ---- wrong types --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("where", "value"), [
    (("event", "channel"), 12345), (("event", "ts"), {"a": 1}), (("event", "user"), ["U1"]),
    (("event", "text"), 7), (("event", "item"), "message"), (("event", "item", "channel"), 1),
    (("event", "tab"), {}), (("event", "message"), []), (("event", "previous_message", "ts"), 1.5),
    (("team_id",), None), (("team_id",), 17), (("api_app_id",), {}), (("authorizations",), "all"),
    (("authorizations", 0), 1), (("authorizations", 0, "team_id"), 3), (("event", "files", 0, "id"), 9),
    (("event_time",), "soon"),
])
async def test_a_wrong_typed_field_is_refused_not_a_500(bot, where: tuple, value: Any) -> None:
    await _ensure_cohort(bot)
    shape = next(s for s in EVENT_SHAPES.values()
                 if _reachable(_envelope(s), where[:-1]))
    envelope = _envelope(json.loads(json.dumps(shape)), f"EvTYPE{abs(hash(where)) % 10**8}")
    parent: Any = envelope
    for step in where[:-1]:
        parent = parent[step]
    parent[where[-1]] = value
    before = await _row_counts(bot)
    await _check(bot, await _post_event(bot, envelope), before)


async def test_an_event_without_team_id_is_not_a_500(bot) -> None:
    envelope = _envelope(EVENT_SHAPES["message"])
    del envelope["team_id"]
    before = await _row_counts(bot)
    await _check(bot, await _post_event(bot, envelope), before)


def _reachable(node: Any, path: tuple) -> bool:
    for step in path:
        if (isinstance(node, dict) and step in node
                or isinstance(node, list) and isinstance(step, int) and step < len(node)):
            node = node[step]
        else:
            return False
    return isinstance(node, (dict, list))


@FUZZ
@given(data=st.data())
async def test_wrong_typed_events_never_answer_5xx(bot, data: st.DataObject) -> None:
    await _ensure_cohort(bot)
    name = data.draw(st.sampled_from(sorted(EVENT_SHAPES)))
    envelope = data.draw(wrong_typed(_envelope(EVENT_SHAPES[name], f"EvFUZZTYPE{next(_EVENT_IDS)}")))
    before = await _row_counts(bot)
    await _check(bot, await _post_event(bot, envelope), before)


# ---- event_id -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("event_id", ["Ev" + "X" * 200, "Ev\x00NUL", 12345, {"id": "Ev1"}, ["Ev1"], "Ev 1; DROP", ""])
async def test_a_malformed_event_id_is_a_400_and_never_a_database_outage(bot, event_id: Any) -> None:
    await _ensure_cohort(bot)
    envelope = _envelope(EVENT_SHAPES["im"])
    envelope["event_id"] = event_id
    before = await _row_counts(bot)
    reply = await _post_event(bot, envelope)
    assert reply.status == 400, reply.text
    assert await _row_counts(bot) == before
    # the next, well-formed event is taken as usual: a 200, not the 503 of the database-outage mode
    reply = await _post_event(bot, _envelope(EVENT_SHAPES["im"], "EvAFTERBAD1"))
    assert reply.status == 200
    reply = await _post_event(bot, _envelope(EVENT_SHAPES["im"], "EvAFTERBAD2"))
    assert reply.status == 200


# ---- team ids of interactions and commands ---------------------------------------------------------------

LONG_TEAM = "T" + "x" * 300  # longer than any column holding a team id: PostgreSQL refuses it, SQLite does not


@pytest.mark.parametrize("where", ["team.id", "user.team_id"])
async def test_a_click_with_a_team_id_no_column_holds_is_a_400_not_a_database_outage(bot, where: str) -> None:
    await _ensure_cohort(bot)
    payload: dict[str, Any] = {"type": "block_actions", "user": {"id": "U1", "team_id": "T0STUDY01"},
                               "trigger_id": "trigger-1", "team": {"id": "T0STUDY01"},
                               "channel": {"id": "C0STUDY001"}, "message": {"ts": "1.0", "text": ""},
                               "actions": [{"action_id": "ama_ask_anyway", "block_id": "b", "type": "button",
                                            "value": "1"}]}
    owner, field = where.split(".")
    payload[owner][field] = LONG_TEAM
    before = await _row_counts(bot)
    reply = await bot.post(urlencode({"payload": json.dumps(payload)}), "application/x-www-form-urlencoded")
    assert reply.status == 400, reply.text
    assert await _row_counts(bot) == before


async def test_a_command_with_a_team_id_no_column_holds_is_a_400(bot) -> None:
    await _ensure_cohort(bot)
    form = {"command": "/study", "text": "help", "user_id": "U1", "channel_id": "C0STUDY001",
            "team_id": LONG_TEAM, "trigger_id": "trigger-1"}
    reply = await bot.post(urlencode(form), "application/x-www-form-urlencoded")
    assert reply.status == 400, reply.text
