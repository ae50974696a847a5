"""Live-session questions: keep the thread in step, and post the top 10 when the session starts.

`ama-refresh` exists only while some question waits to be posted or its message
lags its votes: one occurrence per minute then. `ama-top` has one occurrence per
board, due at the session's start and stale an hour later.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.channel_board import any_unposted, post_question, unposted_questions
from bot.ama.refresh import any_due, due_questions, refresh_if_due
from bot.ama.top import STALE_AFTER, boards_starting, post_top
from bot.blocks import counted
from bot.scheduling import JobContext, Occurrence, once_a_minute

SECONDS_BETWEEN_UPDATES = 1.0


class RefreshQuestions:
    name = "ama-refresh"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        if not (await any_unposted(session) or await any_due(session, now)):
            return []
        return [once_a_minute(now)]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        async with ctx.db.session() as session:
            waiting = await unposted_questions(session)
        posted = 0
        for question_id, team_id in waiting:
            posted += await post_question(ctx.db, ctx.client_for(team_id), ctx.command, question_id, ctx.now)
        updated = 0
        for question_id, team_id in await due_questions(ctx.db, ctx.now):
            if updated:
                await ctx.sleep(SECONDS_BETWEEN_UPDATES)
            updated += await refresh_if_due(ctx.db, ctx.client_for(team_id), question_id, ctx.now)
        return (f"posted {posted} of {counted(len(waiting), 'waiting question')},"
                f" refreshed {counted(updated, 'message')}")


class PostTopQuestions:
    name = "ama-top"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return [Occurrence(board.team_id, f"board-{board.id}", "top", due_at=board.session_at,
                           stale_at=board.session_at + STALE_AFTER, data={"board_id": board.id})
                for board in await boards_starting(session, now)]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        return await post_top(ctx.db, ctx.client_for(occurrence.team_id), occurrence.data["board_id"], ctx.now)


JOBS = [RefreshQuestions(), PostTopQuestions()]
