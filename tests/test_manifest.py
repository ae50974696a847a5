"""manifest.yml declares what the code uses — no more, no less.

Read from the source: every Web API method the code calls (→ its bot scopes,
from Slack's method reference), every event it listens to, and the slash command.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parent.parent
SOURCES = [p for d in ("bot", "handlers", "schedules") for p in (ROOT / d).rglob("*.py")]
METHODS = json.loads((ROOT / "tests/fixtures/slack/methods.json").read_text())["methods"]
PYTHON_NAMES = {name.replace(".", "_"): name for name in METHODS}
# slack-sdk helpers that call several Web API methods under one Python name.
HELPERS = {"files_upload_v2": ("files.getUploadURLExternal", "files.completeUploadExternal")}
# Scopes Slack requires that no method reference lists: the slash command itself.
IMPLIED_SCOPES = {"commands"}
# message events are delivered per channel kind; each needs its history scope.
EVENT_SCOPES = {"message.channels": "channels:history", "message.groups": "groups:history",
                "message.im": "im:history", "reaction_added": "reactions:read", "reaction_removed": "reactions:read"}


def manifest() -> dict:
    return yaml.safe_load((ROOT / "manifest.yml").read_text())


def methods_called() -> set[str]:
    found = set()
    for path in SOURCES:
        for name in re.findall(r"\.([a-z]+_[A-Za-z0-9_]+)\(", path.read_text()):
            if name in PYTHON_NAMES:
                found.add(PYTHON_NAMES[name])
            found.update(HELPERS.get(name, ()))
    return found


def events_listened() -> set[str]:
    events = set()
    for path in SOURCES:
        text = path.read_text()
        events.update(re.findall(r"\.event\(\s*[\"']([a-z_]+)[\"']", text))
        events.update(re.findall(r"\.event\(\s*\{\s*[\"']type[\"']\s*:\s*[\"']([a-z_]+)[\"']", text))
    return events


def test_every_method_called_has_its_scope_declared():
    declared = set(manifest()["oauth_config"]["scopes"]["bot"])
    missing = {m: METHODS[m]["bot_scopes"] for m in methods_called()
               if METHODS[m]["bot_scopes"] and not declared & set(METHODS[m]["bot_scopes"])}
    assert not missing, f"add one scope for each of these methods to manifest.yml: {missing}"


def test_every_declared_scope_is_used():
    declared = set(manifest()["oauth_config"]["scopes"]["bot"])
    bot_events = set(manifest()["settings"]["event_subscriptions"]["bot_events"])
    used = set(IMPLIED_SCOPES) | {EVENT_SCOPES[e] for e in bot_events if e in EVENT_SCOPES}
    for method in methods_called():
        used.update(METHODS[method]["bot_scopes"])
    assert declared <= used, f"scopes declared but not needed: {declared - used}"


def test_every_event_listened_to_is_subscribed():
    bot_events = set(manifest()["settings"]["event_subscriptions"]["bot_events"])
    subscribed = {e.split(".")[0] for e in bot_events}
    assert events_listened() <= subscribed, f"subscribe to: {events_listened() - subscribed}"
    assert subscribed <= events_listened(), f"subscribed but no listener: {subscribed - events_listened()}"


def test_slash_command_matches_the_default_setting():
    from bot.settings import Settings

    commands = [c["command"] for c in manifest()["features"]["slash_commands"]]
    assert commands == [Settings.model_fields["command"].default]


def test_the_scan_sees_real_calls():
    """Guard against a scan that silently finds nothing."""
    assert {"views.publish", "users.info", "chat.postMessage"} <= methods_called()
    assert "app_home_opened" in events_listened()


def test_oauth_installs_ask_for_the_manifests_scopes():
    from bot.workspaces.oauth import BOT_SCOPES

    assert sorted(BOT_SCOPES) == sorted(manifest()["oauth_config"]["scopes"]["bot"])


def test_the_usage_hint_names_the_members_everyday_commands():
    """Slack shows the hint as members type `/study`: the commands issues 23 and 24 added are among them."""
    [study] = manifest()["features"]["slash_commands"]
    hint = {word.strip() for word in study["usage_hint"].split("|")}
    assert {"help", "join", "progress", "done", "calendar", "recordings", "buddy", "commit"} <= hint
    assert len(study["usage_hint"]) <= 100 and len(manifest()["display_information"]["description"]) <= 140


def test_group_dms_and_uploads_keep_their_own_scopes():
    """conversations.open lists im:write beside mpim:write, so the scope test above is satisfied by either; a
    buddy pair's group DM (several users) needs mpim:write itself. Certificates are uploaded (files:write)."""
    declared = set(manifest()["oauth_config"]["scopes"]["bot"])
    group_dm = re.compile(r"conversations_open\(users=\",\"\.join\(")
    assert any(group_dm.search(path.read_text()) for path in SOURCES), "the buddies' group DM is opened elsewhere"
    assert {"mpim:write", "im:write", "files:write"} <= declared
    assert "files_upload_v2" in (ROOT / "bot/completion/issuing.py").read_text()
