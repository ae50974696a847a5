"""Syllabus files: every problem found at once, each with its line; the shipped and example files are valid."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.errors import StudyError
from bot.syllabus.fastbook import built_in_text, default_syllabus
from bot.syllabus.file import SyllabusFileError, find_syllabus, parse_syllabus
from bot.syllabus.schema import syllabus_json_schema

ROOT = Path(__file__).parents[2]
GOOD = """\
title: A Book
author: Some One
home: https://example.org/book
chapters:
  - number: 1
    title: Beginnings
    reading: about an hour
    links:
      - {label: Read it, url: "https://example.org/book/1"}
      - {label: Slides, url: "http://example.org/slides/1"}
    questions:
      - What is **new** here?
      - "See [the page](https://example.org/p) & say why"
  - number: 2
    title: Middles
"""


def problems(text: str) -> list[str]:
    with pytest.raises(SyllabusFileError) as raised:
        parse_syllabus(text, source="s.yaml")
    return raised.value.problems


def test_a_valid_file_becomes_one_week_per_chapter_with_questions_in_mrkdwn():
    syllabus = parse_syllabus(GOOD)
    first, second = syllabus.units
    assert (syllabus.title, syllabus.author, syllabus.home) == ("A Book", "Some One", "https://example.org/book")
    assert (first.number, first.title, first.reading) == (1, "Beginnings", "about an hour")
    assert first.links == (("Read it", "https://example.org/book/1"), ("Slides", "http://example.org/slides/1"))
    assert first.questions == ("What is *new* here?", "See <https://example.org/p|the page> &amp; say why")
    assert (second.number, second.links, second.questions) == (2, (), None)  # no `questions:`: kept as they are


def test_a_missing_title_is_reported_on_its_chapters_line():
    text = GOOD.replace("    title: Middles\n", "")
    assert problems(text) == ["line 14: chapter 2 has no title"]


def test_a_missing_book_title_and_an_empty_one():
    assert problems(GOOD.replace("title: A Book\n", "")) == ["line 1: the syllabus has no title"]
    assert problems(GOOD.replace("    title: Middles", "    title: '  '")) == ["line 15: chapter 2: the title is empty"]


def test_duplicate_chapter_numbers_name_the_first_line():
    text = GOOD.replace("  - number: 2", "  - number: 1")
    assert problems(text) == ["line 14: chapter 1 is listed twice (first on line 5)"]


def test_a_link_that_is_not_http_is_refused_with_its_line():
    text = GOOD.replace('"http://example.org/slides/1"', '"ftp://example.org/slides/1"')
    assert problems(text) == ["line 10: chapter 1, link 2: 'ftp://example.org/slides/1' is not an http(s) link"]
    assert problems(GOOD.replace("home: https://example.org/book", "home: javascript:alert(1)")) == [
        "line 3: the syllabus: 'javascript:alert(1)' is not an http(s) link"]


def test_an_empty_question_is_refused_with_its_line():
    text = GOOD.replace('      - What is **new** here?', '      - ""')
    assert problems(text) == ["line 12: chapter 1: question 1 is empty"]
    no_text = GOOD.replace('      - What is **new** here?', '      -')
    assert problems(no_text) == ["line 12: chapter 1: question 1 is empty"]


def test_a_week_plan_that_leaves_a_chapter_out():
    text = GOOD + "weeks:\n  - chapters: [1]\n  - chapters: [1, 3]\n"
    assert problems(text) == ["line 16: the week plan leaves out chapter 2 (listed on line 14)",
                              "line 18: week 2: there is no chapter 3"]


def test_every_problem_is_reported_at_once_and_in_line_order():
    text = (GOOD.replace("title: A Book\n", "")
            .replace('"http://example.org/slides/1"', '"slides/1"')
            .replace("  - number: 2", "  - number: 1"))
    found = problems(text)
    assert [p.split(":")[0] for p in found] == ["line 1", "line 9", "line 13"]
    with pytest.raises(SyllabusFileError, match=r"^s.yaml has 3 problems:\nline 1: the syllabus has no title\n"):
        parse_syllabus(text, source="s.yaml")


def test_not_yaml_and_not_a_mapping():
    assert problems("title: [unclosed\n") == ["line 2: not valid YAML (expected ',' or ']', but got '<stream end>')"]
    assert problems("- just\n- a list\n") == [
        "line 1: a syllabus file is a mapping (title:, author:, home:, chapters:)"]


def test_unknown_keys_are_refused_so_typos_are_seen():
    assert problems(GOOD.replace("    reading:", "    readng:")) == ["line 7: chapter 1: unknown key 'readng'"]


def test_weeks_can_pair_chapters_and_spread_one_over_two_weeks():
    text = GOOD + "  - number: 3\n    title: Ends\n    questions: ['Why?']\n" + (
        "weeks:\n  - chapters: [1, 2]\n  - chapters: [3]\n    title: Ends, part 1\n  - chapters: [3]\n")
    weeks = parse_syllabus(text).units
    assert [(u.number, u.title) for u in weeks] == [(1, "1. Beginnings; 2. Middles"), (2, "Ends, part 1"),
                                                    (3, "Ends (continued)")]
    first_questions = ("What is *new* here?", "See <https://example.org/p|the page> &amp; say why")
    assert [u.questions for u in weeks] == [first_questions, ("Why?",), None]  # a chapter's come in its first week


def test_the_built_in_fastbook_is_a_valid_file_equal_to_its_chapters_and_to_the_example():
    syllabus = find_syllabus("fastbook")
    assert [(u.number, u.title) for u in syllabus.units] == [(c.number, c.title) for c in default_syllabus()]
    assert all(u.questions is None for u in syllabus.units)  # the book's questions are never shipped
    assert (ROOT / "examples" / "fastbook.yaml").read_text(encoding="utf-8") == built_in_text("fastbook")


def test_the_second_example_is_valid_and_never_mentions_fastai():
    text = (ROOT / "examples" / "think-python.yaml").read_text(encoding="utf-8")
    syllabus = find_syllabus(str(ROOT / "examples" / "think-python.yaml"))
    assert len(syllabus.units) == 18 and all(u.questions for u in syllabus.units)
    assert "fastai" not in text.lower() and "fastbook" not in text.lower()


def test_the_published_schema_is_the_models_schema():
    published = json.loads((ROOT / "schema" / "syllabus.schema.json").read_text(encoding="utf-8"))
    assert published == syllabus_json_schema()


def test_no_syllabus_by_that_name():
    with pytest.raises(StudyError, match='No syllabus "nope": give fastbook'):
        find_syllabus("nope")


def test_the_readme_example_is_a_valid_complete_file():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = readme.split("A complete file")[1].split("```yaml\n")[1].split("```")[0]
    document = parse_syllabus(example).document
    assert document.weeks and document.steps and all(c.links and c.questions for c in document.chapters)
    assert document.chapters[0].reading
