"""Study-group jobs: form each cohort's groups at its scheduled time, finish any channel set-up
left undone, and suggest merges of groups that have gone quiet (weekly, to the organizers)."""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted
from bot.calendar.weeks import utc_week_monday
from bot.cohorts.store import active_cohorts
from bot.groups.formation import form_on_schedule, formations_due
from bot.groups.merging import suggest_merges_to_organizers
from bot.groups.provisioning import materialize_pending, resolve_pending_cohorts
from bot.groups.records import formation_of
from bot.scheduling import JobContext, Occurrence, start_of_hour

MERGE_SUGGESTIONS_AT = timedelta(hours=9)  # Monday 09:00 UTC


def _scope(cohort_id: int) -> str:
    return f"cohort-{cohort_id}"


def _cohort_id(occurrence: Occurrence) -> int:
    return int(occurrence.scope.removeprefix("cohort-"))


class FormGroups:
    """Once per cohort, at `groups_form_at` (default: 3 days after week 1 opens)."""

    name = "groups-form"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        return [Occurrence(due.team_id, _scope(due.cohort_id), "form", due_at=due.due_at)
                for due in await formations_due(session)]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        return await form_on_schedule(ctx.db, ctx.client_for(occurrence.team_id), _cohort_id(occurrence), ctx.now,
                                      sleep=ctx.sleep)


class SyncGroups:
    """Finish what a run left undone (a refused create, a rate limit, a crash, a busy lease):
    hourly, only when needed."""

    name = "groups-sync"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        hour = start_of_hour(now)
        return [
            Occurrence(team_id, _scope(cohort_id), f"sync-{hour:%Y-%m-%dT%H}", due_at=hour,
                       stale_at=hour + timedelta(hours=1))
            for team_id, cohort_id in await resolve_pending_cohorts(session)
        ]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        done = await materialize_pending(ctx.db, ctx.client_for(occurrence.team_id), _cohort_id(occurrence),
                                         ctx.now, sleep=ctx.sleep)
        return f"set up {counted(done, 'group')}"


class SuggestMerges:
    """Weekly: groups quiet for two weeks with a group nearby in time → a suggestion to the organizers."""

    name = "groups-merge-suggestions"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        monday = utc_week_monday(now)
        due = datetime(monday.year, monday.month, monday.day, tzinfo=UTC) + MERGE_SUGGESTIONS_AT
        occurrences = []
        for cohort in await active_cohorts(session):
            formation = await formation_of(session, cohort.id)
            if formation is not None and formation.formed_at <= due - timedelta(weeks=2):
                occurrences.append(Occurrence(cohort.team_id, _scope(cohort.id), f"merges-{monday.isoformat()}",
                                              due_at=due, stale_at=due + timedelta(days=1)))
        return occurrences

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        return await suggest_merges_to_organizers(ctx.db, ctx.client_for(occurrence.team_id), _cohort_id(occurrence),
                                                  occurrence.key, ctx.now, ctx.command)


JOBS = [FormGroups(), SyncGroups(), SuggestMerges()]
