"""Read a syllabus file (YAML, see the README and `schema.py`): every problem found, each with its line number.

Nothing is returned unless the whole file is valid: `read_syllabus` raises one `SyllabusFileError` listing every
problem ("line 12: chapter 3 has no title"). A valid file becomes a `Syllabus`: the book's facts and the weeks
a cohort runs, one `Unit` per week (questions already rendered as Slack mrkdwn).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from bot.errors import StudyError
from bot.syllabus.fastbook import BUILT_IN, built_in_text
from bot.syllabus.mrkdwn import markdown_to_mrkdwn
from bot.syllabus.schema import ChapterEntry, SyllabusFile, WeekEntry

if TYPE_CHECKING:
    import yaml

Where = tuple[str | int, ...]
SYLLABUS_SUFFIXES = (".yaml", ".yml")


class SyllabusFileError(StudyError):
    def __init__(self, source: str, problems: list[str]) -> None:
        super().__init__(f"{source}: " + "; ".join(problems) if len(problems) == 1
                         else f"{source} has {len(problems)} problems:\n" + "\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Unit:
    """What one week reads: stored as the cohort's `Chapter` row `number` (= the week)."""

    number: int
    title: str
    links: tuple[tuple[str, str], ...]  # (label, url)
    reading: str | None
    questions: tuple[str, ...] | None  # mrkdwn; None: keep what the cohort has


@dataclass(frozen=True)
class Syllabus:
    name: str
    title: str
    author: str
    home: str
    steps: tuple[str, ...]
    units: tuple[Unit, ...]
    document: SyllabusFile

    def about(self) -> dict[str, Any]:
        """What a cohort keeps of the syllabus besides its weeks (`Cohort.syllabus`)."""
        return {"name": self.name, "title": self.title, "author": self.author, "home": self.home,
                "steps": list(self.steps)}


def read_syllabus(path: Path | str) -> Syllabus:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise StudyError(f"{path}: cannot be read ({getattr(error, 'strerror', None) or error})") from None
    return parse_syllabus(text, source=path.name, name=path.stem.removesuffix(".syllabus"))


def parse_syllabus(text: str, *, source: str = "syllabus", name: str = "syllabus") -> Syllabus:
    data, lines = _load(text, source)
    problems: list[tuple[int, str]] = []
    document = None
    try:
        document = SyllabusFile.model_validate(data)
    except ValidationError as error:
        problems += [_explain(item, data, lines) for item in error.errors()]
    if isinstance(data, dict) and isinstance(data.get("chapters"), list):
        problems += _duplicate_numbers(data["chapters"], lines)
        problems += _plan_problems(data, lines)
    if problems or document is None:
        unique = sorted(set(problems))
        raise SyllabusFileError(source, [f"line {line}: {what}" for line, what in unique])
    return Syllabus(name=name, title=document.title, author=document.author, home=document.home,
                    steps=tuple(markdown_to_mrkdwn(step) for step in document.steps),
                    units=tuple(_units(document)), document=document)


def _load(text: str, source: str) -> tuple[Any, dict[Where, int]]:
    """The document as plain data, and the line (from 1) where each value (by its path) starts."""
    import yaml  # when a syllabus is first read, not at start-up

    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f"line {mark.line + 1}: " if mark is not None else ""
        raise SyllabusFileError(source, [f"{line}not valid YAML ({getattr(error, 'problem', None) or error})"]) \
            from None
    if not isinstance(data, dict) or node is None:
        raise SyllabusFileError(source, ["line 1: a syllabus file is a mapping (title:, author:, home:, chapters:)"])
    lines: dict[Where, int] = {}
    _walk(node, (), lines)
    return data, lines


def _walk(node: yaml.Node, where: Where, lines: dict[Where, int]) -> None:
    import yaml

    lines[where] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            lines[(*where, f"{key.value}:")] = key.start_mark.line + 1
            _walk(value, (*where, str(key.value)), lines)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, (*where, index), lines)


def _line(lines: dict[Where, int], where: Where) -> int:
    while where not in lines:
        where = where[:-1]
    return lines[where]


_FIELD_NAMES = {"title": "title", "author": "author", "home": "home link", "label": "label", "url": "link",
                "number": "number", "chapters": "chapters", "questions": "questions", "links": "links"}


def _explain(item: Any, data: Any, lines: dict[Where, int]) -> tuple[int, str]:
    where: Where = tuple(item["loc"])
    field = next((part for part in reversed(where) if isinstance(part, str)), "")
    owner = _owner(where, data)
    kind = item["type"]
    value = item.get("input")
    if kind == "missing":
        return _line(lines, where[:-1]), f"{owner} has no {_FIELD_NAMES.get(field, field)}"
    if kind == "extra_forbidden":
        return _line(lines, (*where[:-1], f"{field}:")), f"{owner}: unknown key {field!r}"
    if field == "questions" and isinstance(where[-1], int) and kind in ("string_too_short", "string_type"):
        return _line(lines, where), f"{owner}: question {where[-1] + 1} is empty"
    if kind == "string_pattern_mismatch":
        return _line(lines, where), f"{owner}: {value!r} is not an http(s) link"
    if kind == "string_too_short":
        return _line(lines, where), f"{owner}: the {_FIELD_NAMES.get(field, field)} is empty"
    if kind == "too_short" and field == "chapters":
        return _line(lines, where), f"{owner}: lists no chapters"
    return _line(lines, where), f"{owner}: {field or 'value'}: {item['msg'][0].lower()}{item['msg'][1:]}"


def _owner(where: Where, data: Any) -> str:
    """"chapter 3" or "week 2" or "the syllabus": what a problem is about, as the author numbers it."""
    if len(where) >= 2 and where[0] == "chapters" and isinstance(where[1], int):
        entry = data["chapters"][where[1]] if where[1] < len(data["chapters"]) else None
        number = entry.get("number") if isinstance(entry, dict) else None
        chapter = f"chapter {number}" if isinstance(number, int) else f"chapter entry {where[1] + 1}"
        if len(where) >= 4 and where[2] == "links" and isinstance(where[3], int):
            return f"{chapter}, link {where[3] + 1}"
        return chapter
    if len(where) >= 2 and where[0] == "weeks" and isinstance(where[1], int):
        return f"week {where[1] + 1}"
    return "the syllabus"


def _duplicate_numbers(chapters: list[Any], lines: dict[Where, int]) -> list[tuple[int, str]]:
    seen: dict[int, int] = {}
    problems = []
    for index, entry in enumerate(chapters):
        number = entry.get("number") if isinstance(entry, dict) else None
        if not isinstance(number, int):
            continue
        line = _line(lines, ("chapters", index, "number"))
        if number in seen:
            problems.append((line, f"chapter {number} is listed twice (first on line {seen[number]})"))
        else:
            seen[number] = line
    return problems


def _plan_problems(data: dict[str, Any], lines: dict[Where, int]) -> list[tuple[int, str]]:
    weeks = data.get("weeks")
    if not isinstance(weeks, list):
        return []
    numbers = {entry["number"]: index for index, entry in enumerate(data["chapters"])
               if isinstance(entry, dict) and isinstance(entry.get("number"), int)}
    planned: set[int] = set()
    problems = []
    for index, week in enumerate(weeks):
        listed = week.get("chapters") if isinstance(week, dict) else None
        for position, number in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(number, int) and number not in numbers:
                problems.append((_line(lines, ("weeks", index, "chapters", position)),
                                 f"week {index + 1}: there is no chapter {number}"))
            planned.add(number)
    for number, index in numbers.items():
        if number not in planned:
            problems.append((lines.get(("weeks:",), 1), f"the week plan leaves out chapter {number} (listed on line "
                             f"{_line(lines, ('chapters', index))})"))
    return problems


def _units(document: SyllabusFile) -> list[Unit]:
    by_number = {chapter.number: chapter for chapter in document.chapters}
    plan: list[WeekEntry | None] = [*document.weeks] if document.weeks else [None] * len(document.chapters)
    units, asked = [], set()
    for week, entry in enumerate(plan, start=1):
        chapters = [by_number[n] for n in entry.chapters] if entry else [document.chapters[week - 1]]
        questions: list[str] | None = None
        title = _week_title(entry.title if entry else None, chapters, week)
        if not (entry and entry.title) and all(chapter.number in asked for chapter in chapters):
            title = f"{title} (continued)"
        for chapter in chapters:
            if chapter.questions is not None and chapter.number not in asked:
                questions = (questions or []) + [markdown_to_mrkdwn(q) for q in chapter.questions]
            asked.add(chapter.number)
        units.append(Unit(number=week, title=title[:200],
                          links=tuple((link.label, link.url) for chapter in chapters for link in chapter.links),
                          reading=" + ".join(c.reading for c in chapters if c.reading) or None,
                          questions=tuple(questions) if questions is not None else None))
    return units


def _week_title(title: str | None, chapters: list[ChapterEntry], week: int) -> str:
    if title:
        return title
    if len(chapters) == 1 and chapters[0].number == week:
        return chapters[0].title
    return "; ".join(f"{chapter.number}. {chapter.title}" for chapter in chapters)[:200]


def find_syllabus(name: str) -> Syllabus:
    """A built-in syllabus by name (`fastbook`) or a syllabus file by path."""
    if name in BUILT_IN:
        return parse_syllabus(built_in_text(name), source=f"{name}.yaml", name=name)
    if not Path(name).is_file():
        raise StudyError(f'No syllabus "{name}": give {" or ".join(BUILT_IN)}, or the path of a syllabus file.')
    return read_syllabus(name)
