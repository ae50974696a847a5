"""Certificates: each minute, each cohort inside its window issues certificates to members newly meeting
the rule and sends the DMs not yet sent (cheap when there is nothing new: one read of chapters done)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted
from bot.completion.certificates import CERTIFICATES_JOB, certificate_occurrences
from bot.completion.issuing import Sending, issue_due
from bot.scheduling import JobContext, Occurrence


class IssueCertificates:
    name = CERTIFICATES_JOB

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return await certificate_occurrences(session, now)

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        public_url = ctx.settings.public_url if ctx.settings is not None else None
        outcome = await issue_due(ctx.db, ctx.client_for(occurrence.team_id), occurrence.data["cohort_id"], ctx.now,
                                  sending=Sending(public_url, ctx.command))
        return f"issued {counted(outcome.issued, 'certificate')}, sent {counted(outcome.sent, 'certificate DM')}"


JOBS = [IssueCertificates()]
