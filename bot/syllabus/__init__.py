"""Syllabus core: the built-in fastbook chapter list and the questionnaire importer.

Pure logic. Questions are never shipped with the bot (the book's prose is not
licensed for redistribution); they are imported from an admin's own notebooks.
"""

from __future__ import annotations

from bot.syllabus.fastbook import Chapter, default_syllabus
from bot.syllabus.importer import (
    ImportResult,
    chapter_number,
    collect_notebooks,
    import_questionnaires,
)
from bot.syllabus.mrkdwn import (
    describe_xref,
    escape_mrkdwn,
    markdown_to_mrkdwn,
    render_inline,
)
from bot.syllabus.notebook import (
    NotebookReadError,
    extract_questionnaire,
    read_notebook,
)

__all__ = [
    "Chapter",
    "ImportResult",
    "NotebookReadError",
    "chapter_number",
    "collect_notebooks",
    "default_syllabus",
    "describe_xref",
    "escape_mrkdwn",
    "extract_questionnaire",
    "import_questionnaires",
    "markdown_to_mrkdwn",
    "read_notebook",
    "render_inline",
]
