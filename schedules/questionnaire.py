"""Questionnaire jobs: release each week's questions at the cohort's pace, and show answer counts.

`questionnaire-prompts` has one occurrence per release batch of the current week
(all at once: one batch at week open; a drip: one a day). A batch missed while
the bot was down still runs when it comes back, until the week closes.

`questionnaire-counts` exists only while some prompt's count is stale: one
occurrence per minute then, which refreshes every prompt whose window allows.

`questionnaire-catch-up` reads the threads of this week's and last week's prompts
for answers no event brought (downtime, lost events): one occurrence per cohort
every ten minutes, so after downtime it runs at the latest ten minutes after a start.
"""
from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy.ext.asyncio import AsyncSession

from bot.blocks import counted
from bot.calendar.weeks import current_week, week_closes_at
from bot.cohorts.store import active_cohorts, rhythm_of
from bot.questionnaire.catchup import catch_up_answers, cohorts_to_catch_up
from bot.questionnaire.counts import any_due, due_prompts, refresh_if_due
from bot.questionnaire.prompts import SECONDS_BETWEEN_POSTS, post_batch, week_batches
from bot.rhythm.admin import announcement_pending
from bot.scheduling import JobContext, Occurrence, once_a_minute

log = logging.getLogger(__name__)
CATCH_UP_EVERY = timedelta(minutes=10)
UNREADABLE = {"not_in_channel", "channel_not_found", "channel_is_limited_access"}


class PostPrompts:
    name = "questionnaire-prompts"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        due: list[Occurrence] = []
        for cohort in await active_cohorts(session):
            week = current_week(rhythm_of(cohort), now)
            if week is None or await announcement_pending(session, cohort, week):  # "Week N is open" goes first
                continue
            closes = week_closes_at(rhythm_of(cohort), week)
            batches = await week_batches(session, cohort, week)
            count = sum(len(batch.positions) for batch in batches)
            for batch in batches:
                if batch.due_at <= now:
                    # The question count is in the key: questions imported mid-week make
                    # new occurrences, which post only what is missing.
                    due.append(Occurrence(
                        cohort.team_id, f"cohort-{cohort.id}", f"week-{week}-batch-{batch.index}-of-{count}",
                        due_at=batch.due_at, stale_at=closes,
                        data={"cohort_id": cohort.id, "week": week, "batch": batch.index},
                    ))
        return due

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        data = occurrence.data
        return await post_batch(
            ctx.db, ctx.client_for(occurrence.team_id), cohort_id=data["cohort_id"], week=data["week"],
            batch=data["batch"], now=ctx.now,
        )


class FlushAnswerCounts:
    name = "questionnaire-counts"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        if not await any_due(session, now):
            return []
        return [once_a_minute(now)]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        async with ctx.db.session() as session:
            prompts = await due_prompts(session, ctx.now)
        updated = 0
        for prompt_id, team_id in prompts:
            if updated:
                await ctx.sleep(SECONDS_BETWEEN_POSTS)
            if await refresh_if_due(ctx.db, ctx.client_for(team_id), prompt_id, ctx.now):
                updated += 1
        return f"refreshed {updated} of {counted(len(prompts), 'prompt count')}"


class CatchUpAnswers:
    name = "questionnaire-catch-up"

    async def occurrences(self, session: AsyncSession, now: datetime) -> list[Occurrence]:
        utc = now.astimezone(UTC)
        slot = utc.replace(minute=utc.minute - utc.minute % 10, second=0, microsecond=0)
        return [
            Occurrence(cohort.team_id, f"cohort-{cohort.id}", slot.strftime("%Y-%m-%dT%H:%M"), due_at=slot,
                       stale_at=slot + CATCH_UP_EVERY, data={"cohort_id": cohort.id})
            for cohort in await cohorts_to_catch_up(session, now)
        ]

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        try:
            result = await catch_up_answers(ctx.db, ctx.client_for(occurrence.team_id),
                                            cohort_id=occurrence.data["cohort_id"], now=ctx.now, sleep=ctx.sleep)
        except SlackApiError as error:
            if error.response.get("error") not in UNREADABLE:
                raise  # transient: the next tick retries
            log.warning("cannot read the prompts' channel of %s: %s — invite the bot", occurrence.scope,
                        error.response.get("error"))
            return f"cannot read the prompts' channel: {error.response.get('error')} (invite the bot to the channel)"
        return result.line()


JOBS = [PostPrompts(), FlushAnswerCounts(), CatchUpAnswers()]
