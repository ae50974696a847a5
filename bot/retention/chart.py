"""The weekly chart: active members per week (a line) over answers per chapter (bars), as a PNG.

matplotlib with the Agg backend renders without a display, in memory. The figure is 8 × 4.5 inches
at 100 dpi (800 × 450 px): wide enough for 20 weeks, large type so it stays readable on a phone.

matplotlib (with numpy: ~40 MiB and ~0.3 s) is imported when the first chart is drawn, not with this
module: `serve` imports this module at start and draws a chart once a week.
"""
from __future__ import annotations

import io
from typing import Any

BAR_COLOUR = "#c7d7ee"
LINE_COLOUR = "#1f4e9c"


def render_chart(report: Any) -> bytes:
    """PNG bytes for a `WeeklyReport` (anything with `cohort`, `week`, `active_per_week`, `answers_per_chapter`)."""
    import matplotlib

    matplotlib.use("Agg")  # renders without a display
    from matplotlib.figure import Figure

    weeks = list(range(1, report.week + 1))
    answers = [report.answers_per_chapter.get(week, 0) for week in weeks]
    figure = Figure(figsize=(8, 4.5), dpi=100)
    bars_axis = figure.add_subplot()
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
    figure.suptitle(f"{report.cohort} — week {report.week}: active members and answers", fontsize=14)
    handles = [*bars_axis.get_legend_handles_labels()[0], *line_axis.get_legend_handles_labels()[0]]
    bars_axis.legend(handles=handles, loc="upper right", fontsize=11, frameon=False)
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()
