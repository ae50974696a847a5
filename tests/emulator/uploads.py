"""File uploads (files_upload_v2) for the privacy feature's `/study my-data`: kept apart on purpose.

Imported after `methods.py`, so these two implementations replace its placeholders: the upload URL
points at `/upload/{file_id}` (served here, storing the bytes) and completing an upload shares the file
into the channel as a message carrying it, so a test can read exactly what a member received.
"""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

from tests.emulator.methods import MethodError, method

if TYPE_CHECKING:
    from tests.emulator.server import SlackEmulator


@method("files.getUploadURLExternal")
def get_upload_url(emulator: "SlackEmulator", args: dict[str, Any]) -> dict[str, Any]:
    file_id = emulator.workspace.next_id("F")
    emulator.uploads[file_id] = {"filename": args["filename"], "length": int(args["length"]), "content": None}
    return {"upload_url": f"http://127.0.0.1:{emulator.port}/upload/{file_id}", "file_id": file_id}


@method("files.completeUploadExternal")
def complete_upload(emulator: "SlackEmulator", args: dict[str, Any]) -> dict[str, Any]:
    files = json.loads(args["files"]) if isinstance(args["files"], str) else args["files"]
    uploaded = [emulator.uploads.get(f.get("id", "")) for f in files]
    if not files or any(u is None or u["content"] is None for u in uploaded):
        raise MethodError("invalid_arguments")  # completing before uploading the bytes
    shared = [{"id": f["id"], "title": f.get("title"), "name": u["filename"]} for f, u in zip(files, uploaded)]
    channel_id = args.get("channel_id")
    if channel_id:
        channel = emulator.workspace.channels.get(channel_id)
        if channel is None:
            raise MethodError("channel_not_found")
        message = emulator.workspace.post(channel_id, args.get("initial_comment", ""))
        message.extra["files"] = shared
    return {"files": shared}


async def upload(emulator: "SlackEmulator", request: web.Request) -> web.Response:
    file_id = request.match_info["file_id"]
    if file_id not in emulator.uploads:
        return web.Response(status=404)
    content = await request.read()
    if len(content) != emulator.uploads[file_id]["length"]:
        emulator.violations.append(f"upload {file_id}: {len(content)} bytes, announced {emulator.uploads[file_id]['length']}")
    emulator.uploads[file_id]["content"] = content
    return web.Response(text="OK - 200")
