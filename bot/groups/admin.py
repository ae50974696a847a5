"""`/study admin groups form|merge`: organizers form the cohort's groups now, or merge two."""
from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_sdk.web.async_client import AsyncWebClient

from bot.clock import Sleep
from bot.cohorts.store import cohort_in
from bot.cohorts.which import cohort_for_request
from bot.database import Database
from bot.errors import StudyError
from bot.groups import views as render
from bot.groups.formation import form
from bot.groups.merging import merge
from bot.groups.preview import preview_formation, preview_lines
from bot.groups.records import GroupsError
from bot.organizers import REFUSAL, OrganizerCheck
from bot.progress import Progress

Say = Callable[[str], Awaitable[None]]
UPDATES = 3  # the start and thirds: the note is shown at 0, 1/3 and 2/3 of the groups set up


async def admin_groups(db: Database, client: AsyncWebClient, *, organizers: OrganizerCheck, sleep: Sleep,
                       team_id: str, channel_id: str, user_id: str, args: str, command: str,
                       show: Say) -> dict:
    """The final reply to `/study admin groups …`; `show` puts up (then updates in place) the progress note
    of a long formation, so the organizer sees one message: "Forming 167 groups…", a count, the outcome.

    Raises `StudyError` for a refusal (no cohort, not an organizer, bad arguments, a refused merge)."""
    async with db.session() as session:
        cohort = await cohort_for_request(session, team_id, channel_id, user_id, command=command,
                                          subcommand="admin groups")
    if not await organizers.allows(team_id, user_id, cohort):
        raise StudyError(REFUSAL)
    action, _, rest = args.strip().partition(" ")
    now = db.clock.now()
    if action.lower() == "form":
        low, high = parse_bounds(rest)
        report = await form(db, client, cohort.id, now, sleep=sleep, min_size=low, max_size=high,
                            progress=progress_note(show))
        return render.organizer_note(report.lines())
    if action.lower() == "preview":
        low, high = parse_bounds(rest)
        planned = await preview_formation(db, cohort.id, now, min_size=low, max_size=high)
        return render.formation_preview(preview_lines(planned), f"{cohort.id}:{low or ''}:{high or ''}")
    if action.lower() == "merge":
        names = rest.split()
        if len(names) != 2:
            raise GroupsError(render.merge_usage(command))
        merged = await merge(db, client, cohort.id, names[0], names[1], now, sleep=sleep)
        return {"text": render.merge_done(merged.mover, merged.keeper_channel, len(merged.moved), merged.size,
                                          merged.over_max)}
    return {"text": render.admin_usage(command)}


async def form_after_preview(db: Database, client: AsyncWebClient, *, organizers: OrganizerCheck, sleep: Sleep,
                             team_id: str, user_id: str, value: str, show: Say) -> dict:
    """The *Form groups* button under a preview: form (progress shown through `show`), return the outcome."""
    cohort_text, _, bounds = value.partition(":")
    low_text, _, high_text = bounds.partition(":")
    if not cohort_text.isdigit() or not all(b.isdigit() for b in (low_text, high_text) if b):
        raise GroupsError("That button is out of date; run the preview again.")
    async with db.session() as session:
        cohort = await cohort_in(session, team_id, int(cohort_text))
    if cohort is None:
        raise GroupsError(render.COHORT_GONE)
    if not await organizers.allows(team_id, user_id, cohort):
        raise StudyError(REFUSAL)
    report = await form(db, client, cohort.id, db.clock.now(), sleep=sleep,
                        min_size=int(low_text) if low_text else None, max_size=int(high_text) if high_text else None,
                        progress=progress_note(show))
    return render.organizer_note(report.lines())


def progress_note(show: Say) -> Progress:
    """A progress callback for Slack: the note at the start, at a third and two thirds of the way.

    A response_url takes five posts: this note, two updates and the outcome leave one spare."""
    shown = -1

    async def progress(done: int, total: int) -> None:
        nonlocal shown
        stage = done * UPDATES // total if total else UPDATES
        if stage > shown and stage < UPDATES:
            shown = stage
            await show(render.forming(total, done))

    return progress


def parse_bounds(text: str) -> tuple[int | None, int | None]:
    """`--min 4 --max 8` (either optional)."""
    words = text.split()
    bounds: dict[str, int | None] = {"--min": None, "--max": None}
    if len(words) % 2:
        raise GroupsError(render.BOUNDS_USAGE)
    for flag, value in zip(words[::2], words[1::2], strict=True):
        if flag not in bounds or not value.isdigit():
            raise GroupsError(render.BOUNDS_USAGE)
        bounds[flag] = int(value)
    return bounds["--min"], bounds["--max"]
