"""The survival curve of the weekly report: of the members who joined, the share still active in each week,
chapters done per member, and descriptive comparisons (with and without a buddy, a commitment).

Active in week w: answered a question, shared a post, posted in their group's channel, or marked a chapter done
during cohort week w (`bot.retention.activity`). *Still active in week w*: active in week w or in any later week
up to the report's week — the survival curve of each member's last active week, so it never goes up. Everyone who
joined by the end of the report's week counts (those who left too: leaving is what the curve shows); a member
who joined in week 3 and stayed active counts as still active in weeks 1 and 2. Chapters done are counted as of
the end of the report's week (`bot.completion.chapters`).
"""
from __future__ import annotations

import csv
import io
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from bot.buddies.pairs import members_with_buddy
from bot.cohorts.weeks import week_of
from bot.commitments.store import members_with_commitment
from bot.completion.chapters import chapters_done_by_member
from bot.models import Cohort
from bot.retention.activity import CohortActivity

DEFINITION = ("still active in week w = answered, shared, posted in their group or marked a chapter done in week w"
              " or any later week (up to the report's week); of everyone who joined by the report's week")
CURVE_CSV_HEADER = ("series", "members", "week", "still_active", "share")


@dataclass(frozen=True)
class Curve:
    """One group of members: how many, and how many of them were still active in each week 1..report week."""

    members: int
    still_active: list[int]

    @property
    def share(self) -> list[float]:
        return [round(count / self.members, 4) if self.members else 0.0 for count in self.still_active]


@dataclass(frozen=True)
class Comparison:
    """Members with and without something (a buddy, a commitment): a description, never a cause."""

    label: str  # "a buddy"
    with_: Curve
    without: Curve


@dataclass(frozen=True)
class Survival:
    definition: str
    members: int
    still_active: list[int]  # index 0 is week 1
    share: list[float]
    chapters_done: list[int]  # chapters_done[k]: members with k chapters done, k = 0..the cohort's chapters
    comparisons: list[Comparison] = field(default_factory=list)


def last_active_weeks(activity: CohortActivity, week: int) -> dict[str, int]:
    """Each member's last active week up to `week` (members never active are absent)."""
    last: dict[str, int] = {}
    for (user, number), row in activity.rows.items():
        if row.active and number <= week and number > last.get(user, 0):
            last[user] = number
    return last


def curve(members: Collection[str], last_active: dict[str, int], week: int) -> Curve:
    """Still active in week w = last active in w or later: a suffix sum of the members' last weeks (one pass
    over the members, not one per week)."""
    last_in = [0] * (week + 1)  # last_in[w]: members whose last active week is w (0: never active)
    for member in members:
        last_in[min(last_active.get(member, 0), week)] += 1
    still, later = [], 0
    for w in range(week, 0, -1):
        later += last_in[w]
        still.append(later)
    return Curve(len(members), still[::-1])


async def survival(session: AsyncSession, cohort: Cohort, activity: CohortActivity, joined: Iterable[str],
                   week: int) -> Survival:
    """The curve for `joined` up to `week`, chapters done per member, and the comparisons."""
    everyone = set(joined)
    last = last_active_weeks(activity, week)
    overall = curve(everyone, last, week)
    done = await chapters_done_by_member(session, cohort, until=week_of(cohort, week).closes_at)
    histogram = [0] * (cohort.weeks + 1)
    for member in everyone:
        histogram[min(len(done.get(member, ())), cohort.weeks)] += 1
    comparisons = []
    for label, having in (("a buddy", await members_with_buddy(session, cohort.id)),
                          ("a commitment", await members_with_commitment(session, cohort.id))):
        inside = everyone & having
        comparisons.append(Comparison(label, curve(inside, last, week), curve(everyone - inside, last, week)))
    return Survival(DEFINITION, overall.members, overall.still_active, overall.share, histogram, comparisons)


def as_dict(result: Survival) -> dict:
    """JSON-ready, with each curve's shares."""
    def one(c: Curve) -> dict:
        return {"members": c.members, "still_active": c.still_active, "share": c.share}

    return {"definition": result.definition, "members": result.members, "still_active": result.still_active,
            "share": result.share, "chapters_done": result.chapters_done,
            "comparisons": [{"label": c.label, "with": one(c.with_), "without": one(c.without)}
                            for c in result.comparisons]}


def curve_csv(survival: dict) -> str:
    """One row per series and week (`as_dict`'s form): everyone, then with/without each comparison."""
    series = [("everyone", survival)]
    for comparison in survival["comparisons"]:
        name = comparison["label"].removeprefix("a ").replace(" ", "_")
        series += [(f"with_{name}", comparison["with"]), (f"without_{name}", comparison["without"])]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CURVE_CSV_HEADER)
    for name, one in series:
        writer.writerows((name, one["members"], week, count, share)
                         for week, (count, share) in enumerate(zip(one["still_active"], one["share"], strict=True), 1))
    return out.getvalue()
