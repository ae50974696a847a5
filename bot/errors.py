"""The one error type for problems a person can fix.

A `StudyError` carries the sentence to show: Slack shows it as an ephemeral
reply, the CLI as one line (`studybot: …`), and nothing was changed. Features
may subclass it to add fields; anything else that escapes is a bug, logged
with its traceback while the person sees a generic apology.
"""
from __future__ import annotations


class StudyError(ValueError):
    """A member- or organizer-facing sentence; raising it means nothing was changed.

    It is a `ValueError` so that parsers built on it compose with code that
    validates input the standard way (click, pydantic).
    """
