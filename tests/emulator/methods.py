"""Stateful answers for the Web API methods the bot uses; others answer `{"ok": true}`."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.emulator.state import BOT_ID, BOT_USER_ID, Message

if TYPE_CHECKING:
    from tests.emulator.server import SlackEmulator

Impl = Callable[["SlackEmulator", dict[str, Any]], dict[str, Any]]
implementations: dict[str, Impl] = {}
CHANNEL_NAME = re.compile(r"^[a-z0-9_-]{1,80}$")


class MethodError(Exception):
    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def method(name: str):  # type: ignore[no-untyped-def]
    def decorate(impl: Impl) -> Impl:
        implementations[name] = impl
        return impl

    return decorate


def _channel(emulator: SlackEmulator, args: dict[str, Any], key: str = "channel"):  # type: ignore[no-untyped-def]
    channel_id = args.get(key)
    if channel_id in emulator.workspace.users:  # posting to a user id opens a DM
        if emulator.workspace.users[channel_id].deleted:  # a deactivated member: their DM is gone
            raise MethodError("channel_not_found")
        return _dm(emulator, channel_id)
    channel = emulator.workspace.channels.get(channel_id)
    if channel is None:
        raise MethodError("channel_not_found")
    return channel


def _readable(emulator: SlackEmulator, args: dict[str, Any]):  # type: ignore[no-untyped-def]
    """A conversation to read, as Slack's `conversations.history`/`replies` take it: a user id is no channel
    (`channel_not_found`), and a DM (`D…`, from `conversations.open`) needs the `im:history` scope."""
    channel_id = args.get("channel") or ""
    channel = emulator.workspace.channels.get(channel_id)
    if channel is None:
        raise MethodError("channel_not_found")
    if channel_id.startswith("D") and "im:history" not in emulator.scopes:
        raise MethodError("missing_scope")
    if channel.is_mpim and "mpim:history" not in (emulator.scopes or ()):
        raise MethodError("missing_scope")
    return channel


def _dm(emulator: SlackEmulator, user_id: str):  # type: ignore[no-untyped-def]
    dm_id = "D" + user_id[1:]
    if dm_id not in emulator.workspace.channels:
        emulator.workspace.add_channel(dm_id, f"dm-{user_id.lower()}", members={user_id}, is_private=True)
    return emulator.workspace.channels[dm_id]


def _flag(value: Any) -> bool:
    return value in (True, "true", "1", 1)


@method("auth.test")
def auth_test(emulator, args):  # type: ignore[no-untyped-def]
    workspace = emulator.workspace  # the token's workspace
    return {"url": f"https://{workspace.domain}.slack.com/", "team": workspace.name, "team_id": workspace.team_id,
            "user": "studybot", "user_id": BOT_USER_ID, "bot_id": BOT_ID, "is_enterprise_install": False}


@method("team.info")
def team_info(emulator, args):  # type: ignore[no-untyped-def]
    workspace = emulator.workspace
    if args.get("team") not in (None, "", workspace.team_id):  # another workspace: not visible to this token
        raise MethodError("team_not_found")
    return {"team": {"id": workspace.team_id, "name": workspace.name, "domain": workspace.domain,
                     "email_domain": "", "icon": {"image_default": True}}}


@method("apps.connections.open")
def connections_open(emulator, args):  # type: ignore[no-untyped-def]
    return {"url": emulator.socket_url()}


@method("chat.postMessage")
def post_message(emulator, args):  # type: ignore[no-untyped-def]
    channel = _channel(emulator, args)
    if channel.is_archived:
        raise MethodError("is_archived")
    if BOT_USER_ID not in channel.members:
        raise MethodError("not_in_channel")
    thread_ts = args.get("thread_ts") or None
    message = emulator.workspace.post(channel.id, args.get("text", ""), thread_ts=thread_ts)
    message.bot_id, message.user = BOT_ID, BOT_USER_ID
    message.blocks = args.get("blocks")
    message.metadata = args.get("metadata")
    for key in ("username", "icon_url", "icon_emoji"):
        if args.get(key):
            message.extra[key] = args[key]
    return {"channel": channel.id, "ts": message.ts, "message": message.as_slack()}


@method("chat.postEphemeral")
def post_ephemeral(emulator, args):  # type: ignore[no-untyped-def]
    _channel(emulator, args)
    return {"message_ts": emulator.workspace.next_ts()}


@method("chat.update")
def update_message(emulator, args):  # type: ignore[no-untyped-def]
    channel = _channel(emulator, args)
    message = channel.messages.get(args["ts"])
    if message is None or message.deleted:
        raise MethodError("message_not_found")
    if message.user != BOT_USER_ID:
        raise MethodError("cant_update_message")
    if "text" in args:
        message.text = args["text"]
    if "blocks" in args:
        message.blocks = args["blocks"]
    return {"channel": channel.id, "ts": message.ts, "text": message.text}


@method("chat.delete")
def delete_message(emulator, args):  # type: ignore[no-untyped-def]
    channel = _channel(emulator, args)
    message = channel.messages.get(args["ts"])
    if message is None or message.deleted:
        raise MethodError("message_not_found")
    message.deleted = True
    return {"channel": channel.id, "ts": message.ts}


@method("chat.getPermalink")
def permalink(emulator, args):  # type: ignore[no-untyped-def]
    channel = _channel(emulator, args)
    ts = args["message_ts"]
    if ts not in channel.messages:
        raise MethodError("message_not_found")
    link = f"https://{emulator.workspace.domain}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
    return {"channel": channel.id, "permalink": link}


@method("reactions.add")
def reactions_add(emulator, args):  # type: ignore[no-untyped-def]
    message = _message(emulator, args)
    users = message.reactions.setdefault(args["name"], [])
    if BOT_USER_ID in users:
        raise MethodError("already_reacted")
    users.append(BOT_USER_ID)
    return {}


@method("reactions.remove")
def reactions_remove(emulator, args):  # type: ignore[no-untyped-def]
    message = _message(emulator, args)
    users = message.reactions.get(args["name"], [])
    if BOT_USER_ID not in users:
        raise MethodError("no_reaction")
    users.remove(BOT_USER_ID)
    return {}


def _message(emulator, args) -> Message:  # type: ignore[no-untyped-def]
    channel = _channel(emulator, args)
    message = channel.messages.get(args.get("timestamp") or args.get("ts"))
    if message is None or message.deleted:
        raise MethodError("message_not_found")
    return message


@method("users.info")
def users_info(emulator, args):  # type: ignore[no-untyped-def]
    user = emulator.workspace.users.get(args["user"])
    if user is None:
        raise MethodError("user_not_found")
    return {"user": user.as_slack()}


@method("users.list")
def users_list(emulator, args):  # type: ignore[no-untyped-def]
    return {"members": [u.as_slack() for u in emulator.workspace.users.values()],
            "response_metadata": {"next_cursor": ""}}


@method("conversations.info")
def conversations_info(emulator, args):  # type: ignore[no-untyped-def]
    return {"channel": _channel(emulator, args).as_slack()}


@method("conversations.list")
def conversations_list(emulator, args):  # type: ignore[no-untyped-def]
    """Like Slack: `types` filters (public_channel by default), a private channel is listed only to its
    members, and pages of `limit` (100 by default) follow `cursor`."""
    types = set(str(args.get("types") or "public_channel").split(","))
    channels = [c for c in emulator.workspace.channels.values() if not c.id.startswith("D")
                and ("private_channel" if c.is_private else "public_channel") in types
                and (not c.is_private or BOT_USER_ID in c.members)
                and not (_flag(args.get("exclude_archived")) and c.is_archived)]
    start, limit = int(args.get("cursor") or 0), int(args.get("limit") or 100)
    page = channels[start:start + limit]
    more = start + limit < len(channels)
    return {"channels": [c.as_slack() for c in page],
            "response_metadata": {"next_cursor": str(start + limit) if more else ""}}


MAX_MPIM_USERS = 8  # Slack: a group DM has at most 8 people besides the app


@method("conversations.open")
def conversations_open(emulator, args):  # type: ignore[no-untyped-def]
    """One user: their DM. Several: the group DM of exactly those people and the bot (`mpim:write`), the same
    one each time for the same people — as Slack does."""
    users = args.get("users") or ""
    listed = [u for u in (users.split(",") if isinstance(users, str) else users) if u]
    if not listed:
        raise MethodError("users_list_not_supplied")
    for user_id in listed:
        if user_id not in emulator.workspace.users:
            raise MethodError("user_not_found")
        if emulator.workspace.users[user_id].deleted:
            raise MethodError("user_disabled")
    people = set(listed)
    if len(people) == 1:
        return {"channel": {"id": _dm(emulator, listed[0]).id}}
    if len(people) > MAX_MPIM_USERS:
        raise MethodError("too_many_users")
    if emulator.scopes is not None and "mpim:write" not in emulator.scopes:
        raise MethodError("missing_scope")
    members = people | {BOT_USER_ID}
    found = next((c for c in emulator.workspace.channels.values() if c.is_mpim and c.members == members), None)
    if found is None:
        found = emulator.workspace.add_channel(emulator.workspace.next_id("G"), "mpdm-" + "--".join(sorted(people)),
                                               members=people, is_private=True)
        found.is_mpim = True
    return {"channel": {"id": found.id, "is_mpim": True}}


@method("conversations.create")
def conversations_create(emulator, args):  # type: ignore[no-untyped-def]
    name = args["name"]
    if not CHANNEL_NAME.match(name):
        raise MethodError("invalid_name_specials")
    if any(c.name == name for c in emulator.workspace.channels.values()):
        raise MethodError("name_taken")
    private = _flag(args.get("is_private"))
    channel = emulator.workspace.add_channel(emulator.workspace.next_id("C" if not private else "G"), name,
                                             is_private=private)
    channel.creator = BOT_USER_ID
    return {"channel": channel.as_slack()}


@method("conversations.invite")
def conversations_invite(emulator, args):  # type: ignore[no-untyped-def]
    channel = _channel(emulator, args)
    users = [u for u in str(args["users"]).split(",") if u]
    if len(users) > 1000:
        raise MethodError("too_many_users")
    unknown = [u for u in users if u not in emulator.workspace.users]
    if unknown:
        raise MethodError("user_not_found")
    if all(u in channel.members for u in users):
        raise MethodError("already_in_channel")
    channel.members.update(users)
    return {"channel": channel.as_slack()}


@method("conversations.kick")
def conversations_kick(emulator, args):  # type: ignore[no-untyped-def]
    channel = _channel(emulator, args)
    if args["user"] not in channel.members:
        raise MethodError("not_in_channel")
    channel.members.discard(args["user"])
    return {}


@method("conversations.join")
def conversations_join(emulator, args):  # type: ignore[no-untyped-def]
    channel = _channel(emulator, args)
    channel.members.add(BOT_USER_ID)
    return {"channel": channel.as_slack()}


@method("conversations.archive")
def conversations_archive(emulator, args):  # type: ignore[no-untyped-def]
    channel = _channel(emulator, args)
    if channel.is_archived:
        raise MethodError("already_archived")
    channel.is_archived = True
    return {}


@method("conversations.setTopic")
def conversations_set_topic(emulator, args):  # type: ignore[no-untyped-def]
    channel = _channel(emulator, args)
    channel.topic = args["topic"]
    return {"channel": channel.as_slack()}


@method("conversations.setPurpose")
def conversations_set_purpose(emulator, args):  # type: ignore[no-untyped-def]
    channel = _channel(emulator, args)
    channel.purpose = args["purpose"]
    return {"channel": channel.as_slack()}


@method("conversations.members")
def conversations_members(emulator, args):  # type: ignore[no-untyped-def]
    return {"members": sorted(_channel(emulator, args).members), "response_metadata": {"next_cursor": ""}}


@method("conversations.history")
def conversations_history(emulator, args):  # type: ignore[no-untyped-def]
    channel = _readable(emulator, args)
    oldest = float(args.get("oldest") or 0)
    latest = float(args.get("latest") or 9e18)
    top_level = [m for m in channel.messages.values()
                 if not m.deleted and (m.thread_ts in (None, m.ts)) and oldest < float(m.ts) <= latest]
    top_level.sort(key=lambda m: float(m.ts), reverse=True)
    return _page(channel, top_level, args, _flag(args.get("include_all_metadata")))


@method("conversations.replies")
def conversations_replies(emulator, args):  # type: ignore[no-untyped-def]
    channel = _readable(emulator, args)
    parent = channel.messages.get(args["ts"])
    if parent is None:
        raise MethodError("thread_not_found")
    thread = [parent] + [channel.messages[ts] for ts in parent.replies if not channel.messages[ts].deleted]
    return _page(channel, thread, args, _flag(args.get("include_all_metadata")))


def _page(channel, messages: list[Message], args: dict[str, Any], with_metadata: bool) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    limit = min(int(args.get("limit") or 100), 999)
    start = int(args.get("cursor") or 0)
    chunk = messages[start:start + limit]
    more = start + limit < len(messages)
    return {
        "messages": [_with_thread_summary(channel, m, m.as_slack(with_metadata)) for m in chunk],
        "has_more": more,
        "response_metadata": {"next_cursor": str(start + limit) if more else ""},
    }


def _with_thread_summary(channel, message: Message, data: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """A parent's `reply_count`, `reply_users` and `latest_reply` count only the replies still there, as Slack's do."""
    if not message.replies:
        return data
    live = [channel.messages[ts] for ts in message.replies if not channel.messages[ts].deleted]
    for key in ("reply_count", "reply_users", "latest_reply"):
        data.pop(key, None)
    if live:
        data.update(reply_count=len(live), reply_users=sorted({m.user for m in live if m.user}),
                    latest_reply=live[-1].ts)
    return data


@method("views.publish")
def views_publish(emulator, args):  # type: ignore[no-untyped-def]
    view = dict(args["view"], id=emulator.workspace.next_id("V"))
    emulator.workspace.home_views[args["user_id"]] = view
    return {"view": view}


@method("views.open")
def views_open(emulator, args):  # type: ignore[no-untyped-def]
    if not str(args.get("trigger_id", "")).strip():
        raise MethodError("invalid_trigger_id")
    view = dict(args["view"], id=emulator.workspace.next_id("V"))
    emulator.workspace.open_views[view["id"]] = view
    return {"view": view}


@method("views.update")
def views_update(emulator, args):  # type: ignore[no-untyped-def]
    view_id = args.get("view_id")
    if view_id and view_id not in emulator.workspace.open_views:
        raise MethodError("not_found")
    view = dict(args["view"], id=view_id or emulator.workspace.next_id("V"))
    emulator.workspace.open_views[view["id"]] = view
    return {"view": view}


@method("views.push")
def views_push(emulator, args):  # type: ignore[no-untyped-def]
    return views_open(emulator, args)


@method("files.getUploadURLExternal")
def files_upload_url(emulator, args):  # type: ignore[no-untyped-def]
    """Step 1 of files_upload_v2: a one-off URL the bytes are POSTed to (`SlackEmulator.uploads`)."""
    if not str(args.get("length", "")).isdigit() or int(args["length"]) < 1:
        raise MethodError("invalid_arguments")
    file_id = f"F{next(emulator.file_serial):08d}"  # unique across workspaces, as Slack's file ids are
    emulator.pending_uploads[file_id] = {"filename": args["filename"], "length": int(args["length"]),
                                         "alt_txt": args.get("alt_txt"), "team_id": emulator.workspace.team_id}
    return {"upload_url": f"http://127.0.0.1:{emulator.port}/upload/{file_id}", "file_id": file_id}


@method("files.completeUploadExternal")
def files_complete(emulator, args):  # type: ignore[no-untyped-def]
    """Step 3: every file must have been uploaded with its announced length; shares it in the channel/thread."""
    files = args.get("files")
    if not isinstance(files, list) or not files:
        raise MethodError("invalid_arguments")
    shared = []
    for item in files:
        upload = emulator.uploads.get(item.get("id", ""))
        if upload is None or upload["team_id"] != emulator.workspace.team_id:
            raise MethodError("file_not_found")
        upload["title"] = item.get("title")
        shared.append({"id": item["id"], "title": item.get("title") or upload["filename"], "name": upload["filename"],
                       "size": len(upload["data"])})
    if args.get("channel_id"):
        channel = _channel(emulator, args, "channel_id")
        if BOT_USER_ID not in channel.members:
            raise MethodError("not_in_channel")
        message = emulator.workspace.post(channel.id, args.get("initial_comment") or "",
                                          thread_ts=args.get("thread_ts") or None)
        message.bot_id, message.user = BOT_ID, BOT_USER_ID
        message.extra["files"] = shared
        for item in shared:
            emulator.uploads[item["id"]].update(channel=channel.id, thread_ts=args.get("thread_ts"))
    return {"files": shared}
