"""Validating the share-your-work form.

Values arrive keyed by the modal's block ids (``views.read_share_modal_values``
flattens Slack's view state), and errors go back keyed by the same block ids,
which is exactly the shape Slack's ``response_action: "errors"`` wants: this is
the modal's field-error mechanism. Validation never alters what the member
typed beyond trimming (and ``https://`` before a link typed without one), so
nothing they wrote is lost when we ask for a fix. The link is optional: a
question you are stuck on is worth sharing too.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from bot.share.views import CHAPTER_BLOCK, LINK_BLOCK, NOTES_BLOCK, TITLE_BLOCK

MAX_TITLE_CHARS = 150
MAX_NOTES_CHARS = 2000
MAX_LINK_CHARS = 3000

LINK_HINT = "Please enter a link starting with https://"


@dataclass(frozen=True)
class ShareForm:
    """A valid submission: trimmed text, a checked http(s) link ("" for none) and an optional chapter number."""

    title: str
    link: str
    notes: str
    chapter: int | None


def validate_share_form(
    values: Mapping[str, str | None],
    known_chapters: Collection[int] | None = None,
) -> tuple[ShareForm | None, dict[str, str]]:
    """Check a submission; returns the form, or ``None`` and friendly errors keyed by block id.

    ``known_chapters`` limits the chapter choice; ``None`` accepts any
    non-negative chapter number.
    """
    title = (values.get(TITLE_BLOCK) or "").strip()
    link = _with_scheme((values.get(LINK_BLOCK) or "").strip())
    notes = (values.get(NOTES_BLOCK) or "").strip()
    chapter_value = (values.get(CHAPTER_BLOCK) or "").strip()

    checks: dict[str, str | None] = {
        TITLE_BLOCK: _title_error(title),
        LINK_BLOCK: _link_error(link),
        NOTES_BLOCK: _notes_error(notes),
    }
    chapter, checks[CHAPTER_BLOCK] = _parse_chapter(chapter_value, known_chapters)
    errors = {block_id: message for block_id, message in checks.items() if message}
    if errors:
        return None, errors
    return ShareForm(title=title, link=link, notes=notes, chapter=chapter), {}


def _title_error(title: str) -> str | None:
    if not title:
        return "Please give your work a short title."
    if len(title) > MAX_TITLE_CHARS:
        return f"Title is {len(title):,} characters; please keep it to {MAX_TITLE_CHARS} or fewer."
    return None


def _with_scheme(link: str) -> str:
    """``kaggle.com/code/…`` as people copy it from the address bar becomes ``https://kaggle.com/code/…``."""
    if not link or "://" in link:
        return link
    scheme = link.partition(":")[0] if ":" in link else ""
    if scheme and "." not in scheme and "/" not in scheme:  # javascript:, mailto:, … stay as typed and are refused
        return link
    return "https://" + link


def _link_error(link: str) -> str | None:
    if not link:
        return None
    if len(link) > MAX_LINK_CHARS:
        return f"That link is {len(link):,} characters; please use a shorter link (at most {MAX_LINK_CHARS:,})."
    if any(char.isspace() for char in link):
        return "Links can't contain spaces; please check the link and try again."
    try:
        parts = urlsplit(link)
        host = parts.hostname
    except ValueError:
        return f"That doesn't look like a link. {LINK_HINT}"
    if parts.scheme.lower() not in ("http", "https"):
        return LINK_HINT
    if not host or "." not in host.strip("."):
        return f"That link is missing a website address. {LINK_HINT}, e.g. https://github.com/you/notebook"
    return None


def _notes_error(notes: str) -> str | None:
    if len(notes) > MAX_NOTES_CHARS:
        return f"Notes are {len(notes):,} characters; please keep them to {MAX_NOTES_CHARS:,} or fewer."
    return None


def _parse_chapter(value: str, known_chapters: Collection[int] | None) -> tuple[int | None, str | None]:
    if not value:
        return None, None
    try:
        chapter = int(value)
    except ValueError:
        return None, "Please pick a chapter from the list (or leave it empty)."
    if chapter < 0 or (known_chapters is not None and chapter not in known_chapters):
        return None, f"Chapter {chapter} isn't one of this book's chapters; please pick one from the list."
    return chapter, None
