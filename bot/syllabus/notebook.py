"""Pull a chapter's questionnaire out of its fastbook notebook.

The questions live under a `## Questionnaire` heading as one Markdown ordered
list, usually in the next Markdown cell (a prose or `> tip:` cell may sit in
between), and the section runs until the next heading of any level, normally
`### Further Research`, whose items are exercises, not questions. Every item
is written `1.` and Markdown numbers them, so we number by position and
never trust the digits.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import nbformat

from bot.syllabus.mrkdwn import markdown_to_mrkdwn

_QUESTIONNAIRE_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+questionnaire[ \t]*:?[ \t]*#*[ \t]*$", re.IGNORECASE)
_ANY_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
# Questions start at the left margin; indented numbered lines are sub-lists.
_QUESTION_START = re.compile(r"^[0-9]{1,9}[.)](?:[ \t]+(?P<text>.*))?$")
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_UNLABELLED_XREF = re.compile(r"<<([\w:.-]+)[ \t]*>>")


class NotebookReadError(ValueError):
    """The file exists but is not a Jupyter notebook that nbformat can read."""


def read_notebook(path: Path | str) -> nbformat.NotebookNode:
    """Read a notebook as nbformat v4, turning every "not a notebook" failure into one error type.

    nbformat signals bad content in many ways (its own errors, jsonschema
    errors, and AttributeError for JSON that is not an object); callers only
    need to know the file is unusable and why, in words.
    """
    try:
        return nbformat.read(str(path), as_version=4)
    except nbformat.reader.NotJSONError as error:
        raise NotebookReadError("not a Jupyter notebook (not JSON)") from error
    except UnicodeDecodeError as error:
        raise NotebookReadError("not a Jupyter notebook (not UTF-8 text)") from error
    except (nbformat.ValidationError, nbformat.NBFormatError, AttributeError, KeyError, TypeError) as error:
        raise NotebookReadError("not a Jupyter notebook (JSON, but not in notebook format)") from error


def extract_questionnaire(nb: Mapping[str, Any]) -> list[str]:
    """The chapter's questions in order, as Slack mrkdwn; [] when there is no questionnaire.

    Accepts a NotebookNode or the plain dict from `json.load`, whose cell
    `source` may be a string or a list of strings.
    """
    captions = _figure_captions(nb)
    questions = (markdown_to_mrkdwn(_label_figures("\n".join(item), captions))
                 for item in _split_questions(_questionnaire_lines(nb)))
    return [question for question in questions if question]


def _figure_captions(nb: Mapping[str, Any]) -> dict[str, str]:
    """Each figure's caption by its id, from the notebook's `<img id="…" caption="…">` tags (alt text if
    there is no caption), so `<<bear_softmax>>` can read `the figure "Softmax of bear classifier"`."""
    captions: dict[str, str] = {}
    for text in _markdown_sources(nb.get("cells", [])):
        for tag in _IMG_TAG.findall(text):
            attributes = {name.lower(): double or single for name, double, single in _ATTRIBUTE.findall(tag)}
            caption = html.unescape(attributes.get("caption") or attributes.get("alt") or "").strip()
            if attributes.get("id") and caption and not any(c in caption for c in "<>\n"):
                captions[attributes["id"]] = caption
    return captions


def _label_figures(markdown: str, captions: Mapping[str, str]) -> str:
    """Give a cross-reference to a known figure its caption as the label the converter shows."""
    return _UNLABELLED_XREF.sub(
        lambda m: f'<<{m[1]}, the figure "{captions[m[1]]}">>' if m[1] in captions else m[0], markdown)


def _questionnaire_lines(nb: Mapping[str, Any]) -> list[str]:
    """Lines of Markdown between the questionnaire heading and the next heading.

    Cell boundaries become blank lines: a list item never spans two cells.
    Code and raw cells are skipped.
    """
    section: list[str] = []
    inside = False
    for text in _markdown_sources(nb.get("cells", [])):
        for line in text.splitlines():
            if inside and _ANY_HEADING.match(line):
                return section
            if inside:
                section.append(line)
            elif _QUESTIONNAIRE_HEADING.match(line):
                inside = True
        if inside:
            section.append("")
    return section


def _markdown_sources(cells: Iterable[Mapping[str, Any]]) -> Iterable[str]:
    for cell in cells:
        if cell.get("cell_type") == "markdown":
            source = cell.get("source", "")
            yield "".join(source) if isinstance(source, list) else source


def _split_questions(lines: list[str]) -> list[list[str]]:
    """Group section lines into one list of Markdown lines per question.

    A blank line ends a question only if the next line is back at the left
    margin and is not a new question: that is a paragraph outside the list
    (an intro, a tip) and is dropped. Indented lines after a blank line stay
    with the question, as Markdown keeps them in the list item.
    """
    questions: list[list[str]] = []
    current: list[str] | None = None
    after_blank = False
    for line in lines:
        if not line.strip():
            after_blank = True
            if current is not None:
                current.append("")
            continue
        start = _QUESTION_START.match(line)
        if start:
            current = [start["text"] or ""]
            questions.append(current)
        elif current is not None and (not after_blank or line[:1] in (" ", "\t")):
            current.append(line)
        else:
            current = None
        after_blank = False
    return questions
