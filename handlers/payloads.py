"""The one place a Slack payload's shape is checked, before any listener (or Bolt's matchers) reads it.

Listeners index payloads directly (`body["user"]["id"]`, `view["state"]["values"]`),
as Slack documents them. A signed payload of another shape — a buggy proxy, a fuzzer,
a future change on Slack's side — must not become a 500 that Slack retries: every
field a listener reads is checked here once, and a payload that doesn't fit is
refused as `MalformedPayload` (a 400 and one log line, never the payload itself).
It also caps sizes no Slack payload reaches, so nothing oversized is echoed or stored.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

MAX_TEXT = 40_000        # Slack's own limit for a message's text
MAX_COMMAND_TEXT = 8_000
MAX_LIST = 100

MESSAGE_STRINGS = ("user", "ts", "thread_ts", "text", "subtype", "bot_id", "channel", "team", "user_team")
EVENT_STRINGS = (*MESSAGE_STRINGS, "type", "event_ts", "tab", "reaction", "deleted_ts", "channel_type",
                 "function_execution_id", "bot_access_token", "channel_id", "user_id", "team_id", "enterprise_id")
# What each event our listeners handle must carry (Slack always sends these), beyond `type`.
EVENT_REQUIRES = {"app_home_opened": ("user",), "reaction_added": ("user", "reaction"),
                  "reaction_removed": ("user", "reaction"), "message": ("channel",)}
# Slack's ids: `Ev0ABC123` for an event, `T0ABC123` (or `E…` on Enterprise Grid) for a team. An `event_id`
# becomes a claim row (64 characters at most), so one of another shape must be refused before any claim.
EVENT_ID = re.compile(r"Ev[0-9A-Za-z]{1,62}")
TEAM_ID = re.compile(r"[TE][0-9A-Za-z]{1,31}")
COMMAND_STRINGS = ("command", "text", "user_id", "channel_id", "team_id", "trigger_id", "response_url")


class MalformedPayload(ValueError):
    """A payload that is signed but not shaped like Slack's; the message says where, never what it held."""


def check(body: Any) -> None:
    """Raise `MalformedPayload` unless every field our listeners read has the type Slack gives it."""
    _require(isinstance(body, Mapping), "the body is not an object")
    kind = body.get("type")
    _require(kind is None or isinstance(kind, str), "type is not a string")
    _bolt_context(body)
    if "command" in body:
        _strings(body, COMMAND_STRINGS, "command")
        _require(body.get("team_id") is None or _matches(TEAM_ID, body["team_id"]), "command: team_id is not a team id")
        _require(bool(body.get("user_id")), "command: no user_id")
        _require(len(body.get("text") or "") <= MAX_COMMAND_TEXT, "command: text too long")
    elif kind == "event_callback":
        _require(_matches(EVENT_ID, body.get("event_id")), "envelope: event_id is not an event id")
        _require(_matches(TEAM_ID, body.get("team_id")), "envelope: team_id is not a team id")
        _event(body.get("event"))
    elif kind == "block_actions":
        _interaction(body)
        actions = body.get("actions")
        _require(isinstance(actions, list) and 0 < len(actions) <= MAX_LIST, "actions is not a short list")
        for action in actions:
            _require(isinstance(action, Mapping), "an action is not an object")
            _strings(action, ("action_id", "block_id", "value", "type"), "action")
            _require(isinstance(action.get("action_id"), str), "action: no action_id")
            _optional_object(action, "selected_option", "action")
        for name in ("container", "view", "message", "team", "channel"):
            _optional_object(body, name, "block_actions")
        if isinstance(body.get("view"), Mapping):
            _view(body["view"], require_callback=False)
    elif kind in ("view_submission", "view_closed"):
        _interaction(body)
        _require(isinstance(body.get("view"), Mapping), f"{kind}: no view")
        _require(isinstance(body["view"].get("type"), str), f"{kind}: view.type is not a string")  # Bolt reads it
        _view(body["view"], require_callback=True)
    elif kind in ("shortcut", "message_action"):
        _interaction(body)
        _strings(body, ("callback_id", "trigger_id"), kind)
        _optional_object(body, "message", kind)


def _event(event: Any) -> None:
    _require(isinstance(event, Mapping), "event is not an object")
    _require(isinstance(event.get("type"), str), "event: type is not a string")
    _strings(event, EVENT_STRINGS, "event")
    _string_or_object_with_id(event, "enterprise", "event")
    _optional_object(event, "assistant_thread", "event")
    if isinstance(event.get("assistant_thread"), Mapping):
        _strings(event["assistant_thread"], ("channel_id", "thread_ts"), "event.assistant_thread")
    for name in EVENT_REQUIRES.get(event["type"], ()):
        _require(bool(event.get(name)), f"event: no {name}")
    _message(event, "event")
    for name in ("message", "previous_message"):
        if event.get(name) is not None:
            _require(isinstance(event[name], Mapping), f"event.{name} is not an object")
            _strings(event[name], MESSAGE_STRINGS, f"event.{name}")
            _message(event[name], f"event.{name}")
    if event.get("item") is not None:
        _require(isinstance(event["item"], Mapping), "event.item is not an object")
        _strings(event["item"], ("type", "channel", "ts"), "event.item")
    _require(event["type"] not in ("reaction_added", "reaction_removed") or isinstance(event.get("item"), Mapping),
             "event: no item")


def _bolt_context(body: Mapping[str, Any]) -> None:
    """The fields Bolt reads to build every request's context (`slack_bolt.request.internals`), at the top
    level and, for events, inside `event`: Bolt indexes them by the types Slack gives them."""
    authorizations = body.get("authorizations")
    _require(authorizations is None or (isinstance(authorizations, list) and len(authorizations) <= MAX_LIST
                                        and all(isinstance(a, Mapping) for a in authorizations)),
             "authorizations is not a short list of objects")
    for authorization in authorizations or ():
        _strings(authorization, ("team_id", "enterprise_id", "user_id"), "authorization")
        _flag(authorization, "is_enterprise_install", "authorization")
    _strings(body, ("team_id", "enterprise_id", "user_id", "channel_id", "thread_ts", "response_url",
                    "function_execution_id", "bot_access_token"), "body")
    _flag(body, "is_enterprise_install", "body")
    _flag(body, "is_ext_shared_channel", "body")
    for name in ("enterprise", "team", "user", "channel"):
        _string_or_object_with_id(body, name, "body")
    urls = body.get("response_urls")
    _require(urls is None or (isinstance(urls, list) and len(urls) <= MAX_LIST and all(
        isinstance(u, Mapping) and isinstance(u.get("response_url", ""), str) for u in urls)),
        "response_urls is not a short list of objects")
    view = body.get("view")
    if isinstance(view, Mapping):
        _strings(view, ("app_installed_team_id", "team_id"), "view")
    for name in ("event", "message", "previous_message", "item", "assistant_thread", "function_data"):
        _optional_object(body, name, "body")


def _message(message: Mapping[str, Any], where: str) -> None:
    _require(len(message.get("text") or "") <= MAX_TEXT, f"{where}: text too long")
    files = message.get("files")
    _require(files is None or (isinstance(files, list) and len(files) <= MAX_LIST
                               and all(isinstance(f, Mapping) and isinstance(f.get("id", ""), str) for f in files)),
             f"{where}.files is not a short list of objects")
    _optional_object(message, "edited", where)
    if isinstance(message.get("edited"), Mapping):
        _strings(message["edited"], ("ts", "user"), f"{where}.edited")
    reply_count = message.get("reply_count")
    _require(reply_count is None or (isinstance(reply_count, int) and not isinstance(reply_count, bool)),
             f"{where}.reply_count is not a number")


def _interaction(body: Mapping[str, Any]) -> None:
    user: Any = body.get("user")
    _require(isinstance(user, Mapping) and isinstance(user.get("id"), str) and user["id"] != "", "no user.id")
    _strings(user, ("team_id", "name", "username"), "user")
    _require(user.get("team_id") is None or _matches(TEAM_ID, user["team_id"]), "user.team_id is not a team id")
    _strings(body, ("trigger_id", "response_url", "api_app_id", "token"), body.get("type", "interaction"))
    _optional_object(body, "team", "interaction")
    if isinstance(body.get("team"), Mapping):
        _strings(body["team"], ("id", "domain"), "team")
        team_id = body["team"].get("id")
        _require(team_id is None or _matches(TEAM_ID, team_id), "team.id is not a team id")


def _view(view: Mapping[str, Any], *, require_callback: bool) -> None:
    _strings(view, ("id", "callback_id", "private_metadata", "hash", "type"), "view")
    _require(not require_callback or isinstance(view.get("callback_id"), str), "view: no callback_id")
    state = view.get("state")
    if state is None:
        return
    _require(isinstance(state, Mapping) and isinstance(state.get("values", {}), Mapping),
             "view.state.values is not an object")
    for block in state.get("values", {}).values():
        _require(isinstance(block, Mapping) and all(isinstance(v, Mapping) for v in block.values()),
                 "view.state.values holds something other than objects")
        for value in block.values():
            _strings(value, ("type", "value", "selected_date", "selected_time", "selected_channel", "selected_user"),
                     "view.state value")
            _require(len(value.get("value") or "") <= MAX_TEXT, "view.state value too long")
            _optional_object(value, "selected_option", "view.state value")
            options = value.get("selected_options")
            _require(options is None or (isinstance(options, list) and len(options) <= MAX_LIST
                                         and all(isinstance(o, Mapping) for o in options)),
                     "view.state selected_options is not a short list of objects")


def _string_or_object_with_id(data: Mapping[str, Any], name: str, where: str) -> None:
    value = data.get(name)
    _require(value is None or isinstance(value, str)
             or (isinstance(value, Mapping) and isinstance(value.get("id", ""), str)),
             f"{where}.{name} is neither a string nor an object with a string id")


def _flag(data: Mapping[str, Any], name: str, where: str) -> None:
    _require(data.get(name) is None or isinstance(data[name], (bool, str)), f"{where}.{name} is not a flag")


def _matches(pattern: re.Pattern[str], value: Any) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def _strings(data: Mapping[str, Any], names: tuple[str, ...], where: str) -> None:
    for name in names:
        value = data.get(name)
        _require(value is None or isinstance(value, str), f"{where}.{name} is not a string")


def _optional_object(data: Mapping[str, Any], name: str, where: str) -> None:
    _require(data.get(name) is None or isinstance(data[name], Mapping), f"{where}.{name} is not an object")


def _require(condition: bool, reason: str) -> None:
    if not condition:
        raise MalformedPayload(reason)
