"""An aiohttp server that answers Slack Web API calls from the bot under test.

It checks every call against Slack's published method list (name, required
arguments) and Block Kit limits, records it, keeps a small workspace state,
and can be told to fail: 429 with Retry-After, 5xx, Slack errors, slow replies —
before acting, or after acting (`accept_then_fail`: the effect happened, the
caller sees a 5xx or a dropped connection and cannot know).
Problems are collected in `violations`; the test fixture fails on any.
"""
from __future__ import annotations

import asyncio
import base64
import contextvars
import itertools
import json
import time
import uuid
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from tests.emulator import blockkit
from tests.emulator.limits import RateLimits, retry_after_header
from tests.emulator.methods import MethodError, implementations
from tests.emulator.oauth import CLIENT_AUTH_METHODS, OAuthApps
from tests.emulator.state import BOT_USER_ID, TEAM_ID, Workspace

SPEC = json.loads((Path(__file__).parent.parent / "fixtures" / "slack" / "methods.json").read_text())["methods"]
MANIFEST = Path(__file__).parents[2] / "manifest.yml"


def manifest_scopes() -> list[str]:
    """The bot scopes an install from manifest.yml grants."""
    import yaml

    return list(yaml.safe_load(MANIFEST.read_text())["oauth_config"]["scopes"]["bot"])


# Errors any method may answer, which Slack's per-method lists leave out.
GENERAL_ERRORS = ("invalid_arguments", "not_in_channel", "missing_scope")
DISCONNECT = -1  # an internal status: close the connection without an answer
JSON_ARGS = {"blocks", "view", "metadata", "attachments", "users", "files"}


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    at: float = field(default_factory=time.monotonic)
    response: dict[str, Any] | None = None
    token: str = ""  # the token it was made with (its workspace: `SlackEmulator.tokens`)
    team_id: str = TEAM_ID


# The workspace of the Web API call being answered (by its token); outside a call, the first workspace.
_calling_team: contextvars.ContextVar[str] = contextvars.ContextVar("calling_team", default=TEAM_ID)


RESPONSE_URL_USES = 5  # Slack: a response_url can be used up to 5 times within 30 minutes


@dataclass
class Fault:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    delay: float = 0.0
    after: bool = False  # act first, then fail: the call's effect exists although the caller saw a failure
    disconnect: bool = False  # drop the connection instead of answering (what a timeout looks like)


class SlackEmulator:
    def __init__(self) -> None:
        self.workspaces: dict[str, Workspace] = {TEAM_ID: Workspace()}
        self.tokens: dict[str, str] = {}  # token -> team_id, for workspaces installed through OAuth
        self.revoked_tokens: set[str] = set()
        self.oauth = OAuthApps()
        self.calls: list[Call] = []
        self.responses: list[dict[str, Any]] = []  # bodies posted to response_url
        self.shown: dict[str, list[dict[str, Any]]] = defaultdict(list)  # per response_url: what the member sees
        self.violations: list[str] = []
        self.faults: dict[str, deque[Fault]] = defaultdict(deque)
        self._changed = asyncio.Condition()
        self._runner: web.AppRunner | None = None
        self._sockets: list[web.WebSocketResponse] = []
        self._acks: dict[str, asyncio.Future] = {}
        self._socket_ready = asyncio.Event()
        self.port = 0
        self.on_call: list[Callable[[Call], None]] = []
        self.scopes: list[str] | None = manifest_scopes()  # sent back in `x-oauth-scopes`, as Slack does
        self.token_revoked = False  # every call answers invalid_auth (the app was uninstalled, the token rotated)
        # files_upload_v2: announced by files.getUploadURLExternal, then the bytes POSTed to the upload URL
        self.pending_uploads: dict[str, dict[str, Any]] = {}
        self.uploads: dict[str, dict[str, Any]] = {}
        self.file_serial = itertools.count(1)
        self.limits: RateLimits | None = None  # Slack's rate limits, when `enforce_limits` turned them on
        self.slow_channels: dict[str, float] = {}  # channel → seconds each post to it takes to answer

    # ---- lifecycle -------------------------------------------------------
    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    def response_url(self, name: str = "") -> str:
        return f"http://127.0.0.1:{self.port}/respond/{name or uuid.uuid4().hex}"

    async def start(self) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_post("/respond/{key}", self._respond)
        app.router.add_post("/upload/{file_id}", self._upload)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        for socket in self._sockets:
            await socket.close()
        if self._runner:
            await self._runner.cleanup()

    @property
    def workspace(self) -> Workspace:
        """The workspace of the call being answered; in test code, the first workspace (TEAM_ID)."""
        return self.workspaces[_calling_team.get()]

    def add_workspace(self, team_id: str) -> Workspace:
        """Another emulated workspace (same clock); reached with the tokens its OAuth install issues."""
        workspace = Workspace(team_id)
        workspace.now = self.workspaces[TEAM_ID].now
        self.workspaces[team_id] = workspace
        return workspace

    def calls_by(self, team_id: str) -> list[Call]:
        return [c for c in self.calls if c.team_id == team_id]

    # ---- test controls ---------------------------------------------------
    def fail_next(self, method: str, *, status: int = 200, error: str | None = None,
                  retry_after: int | None = None, delay: float = 0.0, times: int = 1) -> None:
        """The next `times` calls of `method` fail this way (HTTP status and/or Slack error)."""
        for _ in range(times):
            self.faults[method].append(Fault(status, error, retry_after, delay))

    def accept_then_fail(self, method: str, *, status: int = 503, disconnect: bool = False, times: int = 1) -> None:
        """The next `times` calls of `method` take effect, then answer `status` (or drop the connection)."""
        for _ in range(times):
            self.faults[method].append(Fault(status, after=True, disconnect=disconnect))

    def enforce_limits(self, scale: float = 1.0, now: Callable[[], float] = time.monotonic) -> RateLimits:
        """Answer 429 + Retry-After past Slack's rate limits (tests/emulator/limits.py), `scale` times faster."""
        self.limits = RateLimits(SPEC, scale, now)
        return self.limits

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posted(self, channel: str | None = None) -> list[Call]:
        return [c for c in self.calls_to("chat.postMessage") if channel is None or c.args.get("channel") == channel]

    async def wait_for(self, predicate: Callable[[SlackEmulator], Any], timeout: float = 5.0) -> Any:
        """Wait until `predicate(self)` is truthy — woken by each call, never polling on a timer."""
        async with self._changed:
            result = predicate(self)
            if result:
                return result
            await asyncio.wait_for(self._changed.wait_for(lambda: predicate(self)), timeout)
            return predicate(self)

    async def wait_for_response(self, count: int = 1, timeout: float = 5.0) -> dict[str, Any]:
        await self.wait_for(lambda e: len(e.responses) >= count, timeout)
        return self.responses[count - 1]

    # ---- Web API -----------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        args = await _read_args(request)
        token = _token(request, args)
        call = Call(method, args, token=token, team_id=self.tokens.get(token, TEAM_ID))
        self.calls.append(call)
        _calling_team.set(call.team_id)
        body, status, headers = await self._answer(method, args, request)
        if self.scopes is not None:  # None: the header is missing, as behind some proxies
            headers = {**headers, "x-oauth-scopes": ",".join(self.scopes)}
        call.response = body
        for hook in self.on_call:
            hook(call)
        await self._notify()
        if status == DISCONNECT:
            request.transport.close()  # the caller never hears back
            raise web.HTTPInternalServerError()
        return web.json_response(body, status=status, headers=headers)

    async def _answer(self, method: str, args: dict[str, Any], request: web.Request):  # type: ignore[no-untyped-def]
        spec = SPEC.get(method)
        if spec is None:
            self.violations.append(f"{method}: no such Slack Web API method")
            return {"ok": False, "error": "unknown_method"}, 200, {}
        missing = [a for a in spec["required_args"] if a not in args and a != "token"]
        if missing:
            self.violations.append(f"{method}: missing required argument(s) {missing}")
            return {"ok": False, "error": "invalid_arguments"}, 200, {}
        token = _token(request, args)
        if token in self.revoked_tokens:
            return {"ok": False, "error": "token_revoked"}, 200, {}
        if method in CLIENT_AUTH_METHODS:
            args["_client"] = _basic_auth(request) or (args.get("client_id", ""), args.get("client_secret", ""))
        elif not (token in self.tokens or token.startswith(("xoxb-", "xapp-"))):
            return {"ok": False, "error": "not_authed"}, 200, {}
        if self.token_revoked:
            return {"ok": False, "error": "invalid_auth"}, 200, {}
        self.violations += [f"{method}: {p}" for p in _block_kit_problems(method, args)]
        if self.limits is not None and (wait := self.limits.check(_calling_team.get(), method, args.get("channel"))):
            return {"ok": False, "error": "ratelimited"}, 429, {"Retry-After": retry_after_header(wait)}
        if method == "chat.postMessage" and (delay := self.slow_channels.get(args.get("channel", ""))):
            await asyncio.sleep(delay)
        fault = self.faults[method].popleft() if self.faults[method] else None
        if fault and fault.after:
            body, status, headers = self._perform(method, spec, args)
            if fault.disconnect:
                return body, DISCONNECT, headers
            return {"ok": False, "error": "internal_error"}, fault.status, {}
        if fault:
            if fault.delay:
                await asyncio.sleep(fault.delay)
            if fault.status == 429:
                return {"ok": False, "error": "ratelimited"}, 429, {"Retry-After": str(fault.retry_after or 1)}
            if fault.status >= 500:
                return {"ok": False, "error": "internal_error"}, fault.status, {}
            if fault.error:
                return {"ok": False, "error": fault.error}, 200, {}
        return self._perform(method, spec, args)

    def _perform(self, method: str, spec: dict[str, Any], args: dict[str, Any]):  # type: ignore[no-untyped-def]
        handler = implementations.get(method)
        if handler is None:
            return {"ok": True}, 200, {}
        try:
            result = handler(self, args)
        except MethodError as error:
            if error.code not in spec["errors"] and error.code not in GENERAL_ERRORS:
                self.violations.append(f"{method}: emulator raised undocumented error {error.code}")
            return {"ok": False, "error": error.code}, 200, {}
        return {"ok": True, **result}, 200, {}

    async def _respond(self, request: web.Request) -> web.Response:
        body = await request.json()
        await self.record_response(body, request.match_info["key"])
        return web.Response(text="ok")

    async def record_response(self, body: dict[str, Any], key: str) -> None:
        """What the member saw: a post to a response_url, or a command's ack body (`key` "ack")."""
        body["_key"] = key
        problems = blockkit.message_problems(body)
        self.violations += [f"response_url: {p}" for p in problems]
        self.responses.append(body)
        self._show(body, key)
        await self._notify()

    async def _upload(self, request: web.Request) -> web.Response:
        """Step 2 of files_upload_v2: the file's bytes, which must match the length announced in step 1."""
        file_id = request.match_info["file_id"]
        announced = self.pending_uploads.pop(file_id, None)
        data = await request.read()
        if announced is None:
            self.violations.append(f"upload to an unknown or used URL: {file_id}")
            return web.Response(status=404, text="not found")
        if len(data) != announced["length"]:
            self.violations.append(f"upload {file_id}: {len(data)} bytes, announced {announced['length']}")
        self.uploads[file_id] = {**announced, "data": data}
        return web.Response(text="OK - " + str(len(data)))

    def _show(self, body: dict[str, Any], key: str) -> None:
        """As Slack does: `replace_original` replaces the message this response_url last showed, in place;
        a response_url takes at most RESPONSE_URL_USES posts."""
        screen = self.shown[key]
        uses = sum(1 for r in self.responses if r["_key"] == key)
        if key != "ack" and uses > RESPONSE_URL_USES:
            self.violations.append(f"response_url {key}: used {uses} times (Slack allows {RESPONSE_URL_USES})")
        if body.get("delete_original") in (True, "true"):
            screen.clear()
        elif body.get("replace_original") in (True, "true"):
            screen[-1:] = [body]  # a click's response_url replaces the clicked message, which the emulator never saw
        else:
            screen.append(body)

    async def _notify(self) -> None:
        async with self._changed:
            self._changed.notify_all()

    # ---- Socket Mode -------------------------------------------------------
    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self._sockets.append(socket)
        await socket.send_json({"type": "hello", "num_connections": 1, "debug_info": {"host": "emulator"}})
        self._socket_ready.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                data = json.loads(message.data)
                future = self._acks.pop(data.get("envelope_id", ""), None)
                if future and not future.done():
                    future.set_result(data)
        return socket

    def socket_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}/socket"

    async def send_envelope(self, kind: str, payload: dict[str, Any], timeout: float = 5.0) -> dict[str, Any]:
        """Deliver one Socket Mode envelope (events_api, slash_commands, interactive) and wait for its ack."""
        await asyncio.wait_for(self._socket_ready.wait(), timeout)
        envelope_id = uuid.uuid4().hex
        future = asyncio.get_running_loop().create_future()
        self._acks[envelope_id] = future
        envelope = {"envelope_id": envelope_id, "type": kind, "payload": payload,
                    "accepts_response_payload": kind != "events_api", "retry_attempt": 0, "retry_reason": ""}
        await self._sockets[-1].send_json(envelope)
        ack = await asyncio.wait_for(future, timeout)
        if kind == "slash_commands" and ack.get("payload"):  # answered in the ack: Slack shows it like a response
            await self.record_response(dict(ack["payload"]), "ack")
        return ack


async def _read_args(request: web.Request) -> dict[str, Any]:
    raw = await request.text()
    if request.content_type == "application/json":
        args = json.loads(raw or "{}")
    else:
        args = dict(parse_qsl(raw, keep_blank_values=True))
    args.update({k: v for k, v in request.query.items() if k not in args})  # slack-sdk sends `params=` here
    for key in JSON_ARGS & args.keys():
        value = args[key]
        if isinstance(value, str) and value[:1] in "[{":
            args[key] = json.loads(value)
    return args


def _token(request: web.Request, args: dict[str, Any]) -> str:
    header = request.headers.get("Authorization", "")
    bearer = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    return bearer or args.get("token", "")


def _basic_auth(request: web.Request) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return None
    client_id, _, secret = base64.b64decode(header.removeprefix("Basic ")).decode().partition(":")
    return client_id, secret


def _block_kit_problems(method: str, args: dict[str, Any]) -> list[str]:
    if method in ("chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage"):
        return blockkit.message_problems(args)
    if method in ("views.open", "views.push", "views.update", "views.publish"):
        return blockkit.view_problems(args.get("view") or {})
    return []


__all__ = ["SlackEmulator", "Call", "TEAM_ID", "BOT_USER_ID"]
