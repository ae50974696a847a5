"""The certificate as a PNG, drawn with matplotlib in a short-lived child process.

matplotlib (with numpy: ~40 MiB, ~0.5 s to import) is needed a few times per cohort, so `serve` never imports
it for certificates: `render_certificates` starts `python -m bot.completion.certificate_image`, hands it every
certificate due at once as JSON on stdin and reads the PNGs (base64, JSON) from its stdout; the memory goes
with the child. Names are members' text: drawn with `parse_math=False`, so a `$` is a dollar sign.
"""
from __future__ import annotations

import asyncio
import base64
import io
import json
import sys
from dataclasses import asdict, dataclass
from typing import Any

WIDTH, HEIGHT, DPI = 11.0, 7.5, 120  # 1320 × 900 px: sharp on a phone, small enough for a DM
INK = "#1d2a3a"
ACCENT = "#1f4e9c"
PAPER = "#fdfbf5"
RENDER_TIMEOUT = 120.0  # seconds for one batch (a cold import on a loaded machine included)


@dataclass(frozen=True)
class CertificateFacts:
    """What a certificate shows; every field already in words."""

    name: str
    book: str
    cohort: str
    dates: str  # "3 March 2026 – 21 July 2026"
    chapters: str  # "16 of 20 chapters"
    link: str


async def render_certificates(facts: list[CertificateFacts]) -> list[bytes]:
    """One PNG per certificate, drawn in one child process."""
    if not facts:
        return []
    child = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.completion.certificate_image",
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    given = json.dumps([asdict(f) for f in facts]).encode()
    try:
        out, err = await asyncio.wait_for(child.communicate(given), RENDER_TIMEOUT)
    except TimeoutError:
        child.kill()
        await child.wait()
        raise RuntimeError("drawing certificates took too long") from None
    if child.returncode != 0:
        raise RuntimeError(f"drawing certificates failed: {err.decode(errors='replace')[-500:]}")
    return [base64.b64decode(png) for png in json.loads(out)]


def draw(facts: CertificateFacts) -> bytes:
    """The PNG bytes of one certificate (imports matplotlib: call it in the child process)."""
    import matplotlib

    matplotlib.use("Agg")  # renders without a display
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI, facecolor=PAPER)
    figure.patches.extend([
        Rectangle((0.025, 0.035), 0.95, 0.93, transform=figure.transFigure, fill=False, edgecolor=ACCENT,
                  linewidth=4),
        Rectangle((0.04, 0.057), 0.92, 0.886, transform=figure.transFigure, fill=False, edgecolor=ACCENT,
                  linewidth=1),
    ])

    def line(y: float, text: str, size: float, *, colour: str = INK, weight: str = "normal",
             style: str = "normal", family: str = "serif") -> None:
        figure.text(0.5, y, text, ha="center", va="center", fontsize=size, color=colour, fontweight=weight,
                    fontstyle=style, family=family, parse_math=False, wrap=True)

    line(0.85, "Certificate of completion", 32, colour=ACCENT, weight="bold")
    line(0.75, "This certifies that", 15, style="italic")
    line(0.65, _fit(facts.name, 48), 34, weight="bold")
    line(0.555, "finished reading", 15, style="italic")
    line(0.475, _fit(facts.book, 70), 21, weight="bold")
    line(0.39, f"with the study group {_fit(facts.cohort, 60)}", 15)
    line(0.335, facts.dates, 15)
    line(0.26, f"{facts.chapters} done", 17, colour=ACCENT, weight="bold")
    line(0.14, "Check this certificate at", 11, family="sans-serif")
    line(0.1, _fit(facts.link, 110), 12, colour=ACCENT, family="monospace")
    out = io.BytesIO()
    figure.savefig(out, format="png", facecolor=PAPER)
    return out.getvalue()


def _fit(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def main() -> None:
    given: list[dict[str, Any]] = json.load(sys.stdin)
    pngs = [base64.b64encode(draw(CertificateFacts(**item))).decode() for item in given]
    json.dump(pngs, sys.stdout)


if __name__ == "__main__":
    main()
