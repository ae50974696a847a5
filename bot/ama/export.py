"""The board as data: `studybot ama show|export` and `/study admin ama export`.

One row per question (hidden ones included, drafts never): the question, the asker
or "anonymous", votes, "also asked by", state, pinned, answered-at. Votes are
counted from the votes table, as on the messages.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.cards import board_cards
from bot.ama.channel_board import board_of_week
from bot.ama.views import render_export
from bot.blocks import counted
from bot.models import Cohort
from bot.models.ama import AmaBoard

FIELDS = ("rank", "question", "asker", "votes", "also_asked", "state", "pinned", "answered_at", "id")
EXPORTED_STATES = ("open", "answered", "hidden", "review")


async def export_rows(session: AsyncSession, board: AmaBoard) -> list[dict[str, Any]]:
    cards = await board_cards(session, board.id, states=EXPORTED_STATES)
    hidden_last = sorted(cards, key=lambda c: c.state in ("hidden", "review"))
    return [{
        "rank": rank, "question": card.text, "asker": card.asker or "anonymous", "votes": card.votes,
        "also_asked": card.also_asked, "state": card.state, "pinned": card.pinned,
        "answered_at": card.answered_at.isoformat() if card.answered_at else "",
        "id": card.id,  # for `/study admin ama answered <id> 12:34`
    } for rank, card in enumerate(hidden_last, start=1)]


async def export_board(session: AsyncSession, cohort: Cohort, week: int | None,
                       now: datetime) -> tuple[AmaBoard, list[dict[str, Any]]]:
    board = await board_of_week(session, cohort, week, now)
    return board, await export_rows(session, board)


def as_csv(rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def as_json(cohort: Cohort, board: AmaBoard, rows: list[dict[str, Any]]) -> str:
    return json.dumps({"cohort": cohort.name, "week": board.week, "session_at": board.session_at.isoformat(),
                       "questions": rows}, indent=2, ensure_ascii=False)


def as_text(cohort: Cohort, board: AmaBoard, rows: list[dict[str, Any]]) -> str:
    lines = [f"{cohort.name} — questions for week {board.week}'s live session ({board.session_at.isoformat()})"]
    if not rows:
        lines.append("no questions")
    for row in rows:
        marks = "".join(mark for flag, mark in ((row["pinned"], " [pinned]"), (row["state"] != "open",
                                                f" [{row['state']}]")) if flag)
        also = f", also asked by {row['also_asked']}" if row["also_asked"] else ""
        lines.append(f"{row['rank']:>4}. {counted(row['votes'], 'vote'):>9}{also} — {' '.join(row['question'].split())}"
                     f" — {row['asker']}{marks}")
    return "\n".join(lines)


async def slack_export(session: AsyncSession, cohort: Cohort, week: int | None, now: datetime) -> dict[str, Any]:
    board, rows = await export_board(session, cohort, week, now)
    return render_export(as_csv(rows), board.week, len(rows))

