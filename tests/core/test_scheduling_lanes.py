"""A tick runs the scopes of a job side by side (each scope's occurrences in order), taking workspaces in
turn: a stuck cohort or workspace does not hold up the others."""
from __future__ import annotations

import asyncio

from bot.scheduling import SCOPES_PER_WORKSPACE, JobContext, Occurrence, tick


class Lanes:
    """Occurrences in two workspaces; every run in workspace A waits until B's have all run."""

    name = "test-lanes"

    def __init__(self, now, scopes: int) -> None:  # type: ignore[no-untyped-def]
        self.due = [Occurrence(team, f"cohort-{n}", f"batch-{b}", due_at=now)
                    for team in ("TA", "TB") for n in range(scopes) for b in range(2)]
        self.ran: list[tuple[str, str, str]] = []
        self.b_done = asyncio.Event()

    async def occurrences(self, session, now):  # type: ignore[no-untyped-def]
        return self.due

    async def run(self, ctx: JobContext, occurrence: Occurrence) -> str:
        if occurrence.team_id == "TA":
            await asyncio.wait_for(self.b_done.wait(), 5)  # stuck until B is done: B must not wait for A
        self.ran.append((occurrence.team_id, occurrence.scope, occurrence.key))
        if sum(team == "TB" for team, _, _ in self.ran) == len(self.due) // 2:
            self.b_done.set()
        return "ran"


async def test_a_stuck_workspace_does_not_hold_up_another(bot, clock):
    job = Lanes(clock.now(), scopes=SCOPES_PER_WORKSPACE + 2)
    results = await tick(bot.db, [job], bot.runtime.job_context())
    assert [r.outcome for r in results] == ["ran"] * len(job.due)
    assert [(r.occurrence.team_id, r.occurrence.scope) for r in results] == \
        [(o.team_id, o.scope) for o in job.due]  # reported in the job's order
    assert {team for team, _, _ in job.ran[: len(job.due) // 2]} == {"TB"}
    for scope in {s for _, s, _ in job.ran}:  # each scope's occurrences in order
        assert [k for t, s, k in job.ran if s == scope and t == "TA"] in ([], ["batch-0", "batch-1"])
