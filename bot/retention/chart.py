"""The weekly chart, as a PNG: active members per week (a line) over answers per chapter (bars); below it the
survival curve (the share of members still active in each week, a step curve, with the comparisons whose two
sides both have members) beside a histogram of chapters done per member.

matplotlib with the Agg backend renders without a display, in memory. The figure is 8 × 9 inches at 100 dpi
(800 × 900 px): two rows, wide enough for 20 weeks, large type so it stays readable on a phone.

matplotlib (with numpy: ~40 MiB and ~0.3 s) is imported when the first chart is drawn, not with this
module: `serve` imports this module at start and draws a chart once a week.
"""
from __future__ import annotations

import io
from typing import Any

BAR_COLOUR = "#c7d7ee"
LINE_COLOUR = "#1f4e9c"
COMPARISON_COLOURS = ("#b35806", "#5e3c99")


def render_chart(report: Any) -> bytes:
    """PNG bytes for a `WeeklyReport` (anything with `cohort`, `week`, `active_per_week`, `answers_per_chapter`
    and `survival`)."""
    import matplotlib

    matplotlib.use("Agg")  # renders without a display
    from matplotlib.figure import Figure

    weeks = list(range(1, report.week + 1))
    answers = [report.answers_per_chapter.get(week, 0) for week in weeks]
    figure = Figure(figsize=(8, 9), dpi=100)
    grid = figure.add_gridspec(2, 2)
    bars_axis = figure.add_subplot(grid[0, :])
    bars_axis.bar(weeks, answers, color=BAR_COLOUR, label="Answers (chapter = week)")
    bars_axis.set_xlabel("Week", fontsize=13)
    bars_axis.set_ylabel("Questionnaire answers", fontsize=13)
    bars_axis.set_xticks(weeks)
    bars_axis.tick_params(labelsize=12)
    line_axis = bars_axis.twinx()
    line_axis.plot(weeks, report.active_per_week, color=LINE_COLOUR, marker="o", linewidth=2.5,
                   label="Active members")
    line_axis.set_ylabel("Active members", fontsize=13, color=LINE_COLOUR)
    line_axis.tick_params(labelsize=12, colors=LINE_COLOUR)
    line_axis.set_ylim(bottom=0, top=max([*report.active_per_week, 1]) * 1.15)
    bars_axis.set_ylim(bottom=0, top=max([*answers, 1]) * 1.15)
    figure.suptitle(f"{report.cohort} — week {report.week}: activity, who is still active, chapters done",
                    fontsize=14)
    handles = [*bars_axis.get_legend_handles_labels()[0], *line_axis.get_legend_handles_labels()[0]]
    bars_axis.legend(handles=handles, loc="upper right", fontsize=11, frameon=False)
    survival = report.survival or {}
    _survival(figure.add_subplot(grid[1, 0]), weeks, survival)
    _chapters_done(figure.add_subplot(grid[1, 1]), survival.get("chapters_done") or [0])
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _survival(axis: Any, weeks: list[int], survival: dict) -> None:
    """The share still active per week as steps, one level per week (a member counts until their last active week)."""
    members = survival.get("members", 0)
    axis.step(weeks, [100 * share for share in survival.get("share", [0.0] * len(weeks))], where="mid",
              color=LINE_COLOUR, linewidth=2.5, label=f"Everyone (n={members})")
    for colour, comparison in zip(COMPARISON_COLOURS, survival.get("comparisons", []), strict=False):
        having, lacking = comparison["with"], comparison["without"]
        if having["members"] and lacking["members"]:
            axis.step(weeks, [100 * share for share in having["share"]], where="mid", color=colour,
                      linestyle="--", linewidth=1.8, label=f"With {comparison['label']} (n={having['members']})")
    axis.set_ylim(0, 105)
    axis.set_xticks(weeks if len(weeks) <= 10 else weeks[::2])
    axis.set_xlabel("Week", fontsize=12)
    axis.set_ylabel("% still active", fontsize=12)
    axis.set_title("Still active (that week or later)", fontsize=12)
    axis.tick_params(labelsize=11)
    axis.legend(loc="lower left", fontsize=9, frameon=False)


def _chapters_done(axis: Any, counts: list[int]) -> None:
    """Members by chapters done: one bar per count 0..the cohort's chapters."""
    from matplotlib.ticker import MaxNLocator

    axis.bar(range(len(counts)), counts, color=BAR_COLOUR, edgecolor=LINE_COLOUR)
    axis.set_xlabel("Chapters done", fontsize=12)
    axis.set_ylabel("Members", fontsize=12)
    axis.set_title("Chapters done per member", fontsize=12)
    axis.set_ylim(bottom=0, top=max([*counts, 1]) * 1.15)
    axis.yaxis.set_major_locator(MaxNLocator(integer=True))
    axis.tick_params(labelsize=11)
