"""Import questionnaires from the admin's own copy of the fastbook notebooks.

The book's questions may not be redistributed, so the bot never ships them:
an admin points the importer at a fastbook checkout, a folder of notebooks or
single notebook files. Bad input never stops the import; each bad path gets
one line in `problems` so the admin can see what was skipped and why.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from bot.syllabus.notebook import (
    NotebookReadError,
    extract_questionnaire,
    read_notebook,
)

_CHAPTER_NUMBER = re.compile(r"^([0-9]+)")

Source = str | os.PathLike[str]


@dataclass(frozen=True)
class ImportResult:
    """Questions per chapter number, plus one human-readable line per skipped path."""

    chapters: dict[int, list[str]]
    problems: list[str]


def collect_notebooks(source: Source | Sequence[Source]) -> tuple[list[tuple[int, Path]], list[str]]:
    """Find chapter notebooks and their chapter numbers (the file name's leading digits).

    A folder contributes its top-level `*.ipynb` files only, so a fastbook
    checkout's `clean/` copies (same names, questions stripped) are ignored.
    Returns the notebooks ordered by chapter and the problems found so far.
    When two files claim the same chapter the first one wins (folder contents
    are taken in name order, so `01_intro.ipynb` beats `01_intro_edit.ipynb`).
    """
    sources = [source] if isinstance(source, (str, os.PathLike)) else list(source)
    problems: list[str] = []
    chosen: dict[int, Path] = {}
    for label, path in _candidate_files(sources, problems):
        number = chapter_number(path)
        if number is None:
            problems.append(f"{label}: {_unnumbered_problem(path)}")
        elif number in chosen:
            problems.append(f"{label}: chapter {number} already comes from {chosen[number].name}; skipped")
        else:
            chosen[number] = path
    return sorted(chosen.items()), problems


def _unnumbered_problem(path: Path) -> str:
    """What is wrong with a file without a chapter number: first whether it is a notebook at all."""
    try:
        read_notebook(path)
    except NotebookReadError as error:
        return str(error)
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    return "no chapter number at the start of the file name; skipped"


def chapter_number(path: Path) -> int | None:
    """The chapter a notebook belongs to, from its file name: `04_mnist_basics.ipynb` -> 4."""
    match = _CHAPTER_NUMBER.match(path.name)
    return int(match[1]) if match else None


def import_questionnaires(paths: Source | Sequence[Source]) -> ImportResult:
    """Read every chapter notebook under `paths` and extract its questions."""
    notebooks, problems = collect_notebooks(paths)
    chapters: dict[int, list[str]] = {}
    for number, path in notebooks:
        questions, problem = _import_one(path)
        if problem:
            problems.append(f"{path.name}: {problem}")
        else:
            chapters[number] = questions
    return ImportResult(chapters=chapters, problems=problems)


def _candidate_files(sources: list[Source], problems: list[str]) -> list[tuple[str, Path]]:
    """(label for messages, path) for every file to consider; missing sources become problems."""
    candidates: list[tuple[str, Path]] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            notebooks = sorted(child for child in path.glob("*.ipynb") if not child.name.startswith("."))
            candidates.extend((child.name, child) for child in notebooks if child.is_file())
        elif path.exists():
            candidates.append((path.name, path))
        else:
            problems.append(f"{source}: no such file or folder")
    return candidates


def _import_one(path: Path) -> tuple[list[str], str | None]:
    try:
        notebook = read_notebook(path)
    except NotebookReadError as error:
        return [], str(error)
    except OSError as error:
        return [], f"cannot be read ({error.strerror or error})"
    questions = extract_questionnaire(notebook)
    if not questions:
        return [], "no questionnaire section; skipped"
    return questions, None
