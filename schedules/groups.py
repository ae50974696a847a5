"""Study-group jobs: form each cohort's groups at its scheduled time, finish any channel set-up
left undone, and suggest merges of groups that have gone quiet (weekly, to the organizers)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.cohorts.store import active_cohorts
from bot.database import Database
from bot.groups import service
from bot.groups.records import form_at, formation_of
from bot.groups.reports import merge_candidates, week_start
from bot.models import Cohort
from bot.models.groups import GroupFormation
from bot.outbound import post_once
from bot.groups import views as render
from bot.scheduling import JobContext, Occurrence

MERGE_SUGGESTIONS_AT = timedelta(hours=9)  # Monday 09:00 UTC


def _scope(cohort_id: int) -> str:
    return f"cohort-{cohort_id}"


def _cohort_id(occurrence: Occurrence) -> int:
    return int(occurrence.scope.removeprefix("cohort-"))


async def tell_organizers(db: Database, client, cohort: Cohort, key: str, payload: dict, now: datetime) -> int:  # type: ignore[no-untyped-def]
    """A direct message to each organizer (the app's Messages tab); the cohort channel when it has none."""
    recipients: Sequence[str] = cohort.organizers or [cohort.channel_id]
    for recipient in recipients:
        await post_once(db, client, team_id=cohort.team_id, key=f"{key}:{recipient}", channel=recipient, now=now,
                        **payload)
    return len(recipients)


class FormGroups:
    """Once per cohort, at `groups_form_at` (default: 3 days after week 1 opens)."""

    name = "groups-form"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        formed = set(await session.scalars(select(GroupFormation.cohort_id)))
        return [
            Occurrence(c.team_id, _scope(c.id), "form", due_at=form_at(c))
            for c in await active_cohorts(session) if c.id not in formed
        ]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        client = ctx.client_for(occurrence.team_id)
        report = await service.form(ctx.db, client, _cohort_id(occurrence), ctx.now, sleep=ctx.sleep)
        async with ctx.db.session() as session:
            cohort = await session.get(Cohort, _cohort_id(occurrence))
        await tell_organizers(ctx.db, client, cohort, f"groups:formed:{cohort.id}",
                              render.organizer_note(report.lines()), ctx.now)
        return report.lines()[0]


class SyncGroups:
    """Finish what a run left undone (a refused create, a rate limit, a crash, a busy lease): hourly, only when needed."""

    name = "groups-sync"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        hour = now.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0)
        return [
            Occurrence(team_id, _scope(cohort_id), f"sync-{hour:%Y-%m-%dT%H}", due_at=hour,
                       stale_at=hour + timedelta(hours=1))
            for team_id, cohort_id in await service.resolve_pending_cohorts(session)
        ]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        done = await service.materialize_pending(ctx.db, ctx.client_for(occurrence.team_id), _cohort_id(occurrence),
                                                 ctx.now, sleep=ctx.sleep)
        return f"set up {done} group(s)"


class SuggestMerges:
    """Weekly: groups quiet for two weeks with a group nearby in time → a suggestion to the organizers."""

    name = "groups-merge-suggestions"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        monday = week_start(now)
        due = datetime(monday.year, monday.month, monday.day, tzinfo=timezone.utc) + MERGE_SUGGESTIONS_AT
        occurrences = []
        for cohort in await active_cohorts(session):
            formation = await formation_of(session, cohort.id)
            if formation is not None and formation.formed_at <= due - timedelta(weeks=2):
                occurrences.append(Occurrence(cohort.team_id, _scope(cohort.id), f"merges-{monday.isoformat()}",
                                              due_at=due, stale_at=due + timedelta(days=1)))
        return occurrences

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        async with ctx.db.session() as session:
            cohort = await session.get(Cohort, _cohort_id(occurrence))
            pairs = await merge_candidates(session, cohort, ctx.now)
        if not pairs:
            return "no quiet groups to merge"
        payload = render.merge_suggestions(pairs, ctx.command)
        sent = await tell_organizers(ctx.db, ctx.client_for(occurrence.team_id), cohort,
                                     f"groups:merges:{cohort.id}:{occurrence.key}", payload, ctx.now)
        return f"suggested {len(pairs)} merge(s) to {sent} recipient(s)"


JOBS = [FormGroups(), SyncGroups(), SuggestMerges()]
