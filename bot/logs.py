"""Log lines for operators: one per request at INFO (bot/main/app.py), JSON when LOG_FORMAT=json,
and never a Slack token, whatever a library puts in its message."""
from __future__ import annotations

import json
import logging
import re

TOKEN = re.compile(r"\bxox[a-z]?[a-z]?[.-][A-Za-z0-9.-]+|\bxapp-[A-Za-z0-9-]+")
# Fields a record may carry through `extra=` (bot/main/app.py's request line).
EXTRA_FIELDS = ("listener", "team_id", "event_id", "ack_ms")


def redact_tokens(record: logging.LogRecord) -> bool:
    """A logging filter: tokens in the message or its arguments become `xox…[redacted]`."""
    message = record.getMessage()
    if TOKEN.search(message):
        record.msg, record.args = TOKEN.sub("[redacted token]", message), None
    return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"), "level": record.levelname,
                "logger": record.name, "message": record.getMessage()}
        line.update({name: getattr(record, name) for name in EXTRA_FIELDS if getattr(record, name, None) is not None})
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)
