"""The syllabus file's shape, as pydantic models: they validate a file and produce its JSON Schema.

`schema/syllabus.schema.json` in the repository is `syllabus_json_schema()` written out, so editors can check
a file while it is written (`# yaml-language-server: $schema=…` at its top).
"""
from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://[^\s<>|]+$", max_length=500)]
Question = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2900)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Link(_Strict):
    """One link of a chapter: what it is (notebook, Colab, video, slides, paper, …) and where."""

    label: Text = Field(description="What the link is, as members read it: Notebook, Open in Colab, Video, Slides…")
    url: Url = Field(description="An http:// or https:// address.")


class ChapterEntry(_Strict):
    """A chapter (or lesson, or paper) of the book or course."""

    number: int = Field(ge=1, le=999, description="The chapter's number; unique in the file.")
    title: Text
    links: list[Link] = Field(default_factory=list, description="Any number of links, in the order shown.")
    reading: Text | None = Field(default=None, description='A reading estimate, e.g. "about 2 hours".')
    questions: list[Question] | None = Field(
        default=None,
        description="The chapter's questions, in order, in Markdown (rendered as the notebook questions are). "
                    "Leave the key out to keep questions imported some other way (e.g. from notebooks).")


class WeekEntry(_Strict):
    """One week of the plan: the chapters read that week (a chapter may span several weeks)."""

    chapters: list[int] = Field(min_length=1, description="Chapter numbers read this week, in order.")
    title: Text | None = Field(default=None, description="The week's title (default: its chapters' titles).")


class SyllabusFile(_Strict):
    """A book or course a cohort studies, one chapter a week unless `weeks` says otherwise."""

    title: Text = Field(description="The book's or course's title.")
    author: Text = Field(description="Its authors, as they are credited.")
    home: Url = Field(description="The book's or course's home page.")
    steps: list[Text] = Field(
        default_factory=list,
        description="What to do each week before the questionnaire, one Markdown line each "
                    '(default: "*Read* the chapter.").')
    chapters: list[ChapterEntry] = Field(min_length=1)
    weeks: list[WeekEntry] | None = Field(
        default=None, description="The week plan (default: one chapter a week in the order listed).")


def syllabus_json_schema() -> dict[str, Any]:
    schema = SyllabusFile.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "studybot-syllabus", **schema}
