"""The doctor's answer in Slack: one line per check, as the CLI prints them."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.blocks import MAX_MESSAGE_BLOCKS, counted, escape_mrkdwn, message, pack_lines, section
from bot.doctor.checks import Check


def render_doctor(checks: Sequence[Check]) -> dict[str, Any]:
    broken = sum(1 for check in checks if not check.ok)
    headline = "*Everything checks out.*" if not broken else f"*{counted(broken, 'thing')} to fix:*"
    lines = [headline, *(escape_mrkdwn(check.line()) for check in checks)]
    blocks = [section(chunk) for chunk in pack_lines(lines)][:MAX_MESSAGE_BLOCKS]
    fallback = "studybot doctor: all checks pass" if not broken else f"studybot doctor: {broken} to fix"
    return message(fallback, blocks)
