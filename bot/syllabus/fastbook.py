"""The built-in syllabus: the fastai book (fastbook), shipped as data in `data/fastbook.yaml`.

It is a syllabus file like any other (`studybot syllabus new --from fastbook` prints it). Only facts about the
book ship (numbers, titles, links); the questionnaire text is the authors' prose, which is not licensed for
redistribution, so admins import it from their own checkout (see `bot.syllabus.importer`).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

BUILT_IN = ("fastbook",)
DEFAULT = "fastbook"


def built_in_text(name: str) -> str:
    """The shipped file of built-in syllabus `name`, as written."""
    return resources.files("bot.syllabus").joinpath("data", f"{name}.yaml").read_text(encoding="utf-8")


@dataclass(frozen=True)
class BookChapter:
    """A fastbook chapter with its notebook (for the notebooks' cross-references, `<<chapter_mnist_basics>>`)."""

    number: int
    title: str
    notebook: str
    notebook_url: str
    clean_url: str
    colab_url: str
    video_url: str | None = None

    # As a cohort's `Chapter` row has them, so the rhythm's views show a BookChapter as they show a row.
    @property
    def links(self) -> list[dict[str, str]]:
        urls = ((label, getattr(self, column)) for label, column in LINK_COLUMNS.items())
        return [{"label": label, "url": url} for label, url in urls if url]

    reading = None


# The fastbook links' labels and the `chapters` columns that held them before syllabus files (still filled).
LINK_COLUMNS = {"Notebook": "notebook_url", "Clean notebook (code only)": "clean_url", "Open in Colab": "colab_url",
                "Course lesson video": "video_url"}


@cache
def _chapters() -> tuple[BookChapter, ...]:
    """Read straight from the shipped file (`bot.syllabus.file` validates it, and renders Markdown with these)."""
    import yaml  # at first use, not at start-up

    chapters = []
    for entry in yaml.safe_load(built_in_text(DEFAULT))["chapters"]:
        urls = {LINK_COLUMNS[link["label"]]: link["url"] for link in entry["links"]}
        chapters.append(BookChapter(number=entry["number"], title=entry["title"],
                                    notebook=urls["notebook_url"].rsplit("/", 1)[1], **urls))
    return tuple(chapters)


def default_syllabus() -> list[BookChapter]:
    """The fastbook chapters 1-20 in reading order, with notebook, clean-notebook and Colab links."""
    return list(_chapters())
