"""The `session-recordings` job's work: recordings their announcement thread doesn't show yet (or shows with
an older URL), and the answer DMs not sent yet. Both are worked out from the database each tick, so whatever
failed or was interrupted before (a Slack error, a crash, another process) is done here, once."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.ama.recording_dms import ClientFor, due_answer_dms, send_answer_dms
from bot.blocks import counted
from bot.database import Database
from bot.models import Cohort
from bot.sessions.recordings import AnnouncementKey, show_in_thread, unshown


async def recordings_due(session: AsyncSession, now: datetime) -> bool:
    return bool(await unshown(session)) or bool(await due_answer_dms(session, now))


async def sweep_recordings(db: Database, client_for: ClientFor, now: datetime, *,
                           announcement_key: AnnouncementKey) -> str:
    """Post or edit the recordings' thread messages, then send the due DMs; the first failure is raised after
    both were tried (one cohort's archived channel holds up nobody's DM)."""
    failure: Exception | None = None
    async with db.session() as session:
        pending = [(await session.get(Cohort, cohort_id), week) for cohort_id, week in await unshown(session)]
    shown = 0
    for cohort, week in pending:
        if cohort is None:
            continue
        try:
            shown += await show_in_thread(db, client_for(cohort.team_id), cohort, week, now,
                                          announcement_key=announcement_key)
        except Exception as error:
            failure = failure or error
    sent = 0
    try:
        sent = await send_answer_dms(db, client_for, now)
    except Exception as error:
        failure = failure or error
    if failure is not None:
        raise failure
    return f"showed {counted(shown, 'recording')} in their threads, sent {counted(sent, 'answer link')}"
