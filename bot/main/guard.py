"""The door of `POST /slack/events`: signature, age and body checked on the raw bytes, before any parsing.

Bolt verifies the signature only after it has parsed the body, so unsigned junk
(invalid JSON, a timestamp like `abc` or `1e99`) used to reach the parser and
answer 500. Here a request is refused with 401 when it is unsigned, forged or
stale, and with 400 when it is signed but not a body Slack sends (a JSON object,
or a form whose `payload` is a JSON object).
"""
from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs

MAX_AGE_SECONDS = 60 * 5
MAX_BODY_BYTES = 1024 * 1024


@dataclass(frozen=True)
class Refusal:
    status: int
    reason: str


def check_request(secret: str, headers: Mapping[str, str], body: bytes, *,
                  now: Callable[[], float] = time.time) -> Refusal | None:
    """None when the request is Slack's; else why not (401: not signed by Slack, 400: not a Slack body)."""
    if len(body) > MAX_BODY_BYTES:
        return Refusal(400, "body too large")
    stamp = headers.get("X-Slack-Request-Timestamp", "")
    signature = headers.get("X-Slack-Signature", "")
    if not stamp.isascii() or not stamp.isdigit() or len(stamp) > 12:
        return Refusal(401, "missing or malformed timestamp")
    if abs(now() - int(stamp)) > MAX_AGE_SECONDS:
        return Refusal(401, "stale timestamp")
    expected = "v0=" + hmac.new(secret.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected.encode(), signature.encode("utf-8", "replace")):
        return Refusal(401, "invalid signature")
    if not _is_slack_body(headers.get("Content-Type", ""), body):
        return Refusal(400, "not a JSON object or a form Slack sends")
    return None


def _is_slack_body(content_type: str, body: bytes) -> bool:
    try:
        text = body.decode("utf-8")
        if content_type.startswith("application/json"):
            return isinstance(json.loads(text), dict)
        form = parse_qs(text, keep_blank_values=True)
        if "payload" in form:
            return len(form["payload"]) == 1 and isinstance(json.loads(form["payload"][0]), dict)
        return True  # a slash command or ssl_check: plain form fields
    except (UnicodeDecodeError, ValueError):
        return False
