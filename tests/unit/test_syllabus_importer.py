from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.syllabus.importer import ImportResult, chapter_number, collect_notebooks, import_questionnaires

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
BAD = FIXTURES / "bad"


def test_importing_the_fixtures_folder_counts_questions_per_chapter() -> None:
    result = import_questionnaires(FIXTURES)

    counts = {number: len(questions) for number, questions in result.chapters.items()}
    assert counts == {1: 5, 2: 3, 3: 3, 4: 5, 5: 2, 6: 6, 7: 3, 8: 4, 9: 7, 10: 40}
    assert result.problems == [
        "app_extra.ipynb: no chapter number at the start of the file name; skipped",
        "20_conclusion.ipynb: no questionnaire section; skipped",
    ]


def test_folder_import_ignores_subfolders_like_clean() -> None:
    result = import_questionnaires(FIXTURES)
    assert result.chapters[1][0] == "What does a reading group meet to discuss each week?"
    assert not any("A clean copy." in question for question in result.chapters[1])


def test_collect_notebooks_from_a_folder_is_ordered_by_chapter() -> None:
    notebooks, problems = collect_notebooks(FIXTURES)
    assert [(number, path.name) for number, path in notebooks] == [
        (1, "01_basic.ipynb"),
        (2, "02_string_source.ipynb"),
        (3, "03_interlude.ipynb"),
        (4, "04_numbered.ipynb"),
        (5, "05_paren.ipynb"),
        (6, "06_nested.ipynb"),
        (7, "07_end_mid_cell.ipynb"),
        (8, "08_wrapup.ipynb"),
        (9, "09_inline.ipynb"),
        (10, "10_long.ipynb"),
        (20, "20_conclusion.ipynb"),
    ]
    assert problems == ["app_extra.ipynb: no chapter number at the start of the file name; skipped"]


def test_collect_notebooks_from_files_sorts_by_chapter() -> None:
    notebooks, problems = collect_notebooks([FIXTURES / "10_long.ipynb", FIXTURES / "02_string_source.ipynb"])
    assert notebooks == [(2, FIXTURES / "02_string_source.ipynb"), (10, FIXTURES / "10_long.ipynb")]
    assert problems == []


def test_a_single_file_or_a_string_path_is_accepted() -> None:
    assert import_questionnaires(FIXTURES / "05_paren.ipynb").chapters == {
        5: ["Why would someone write 1) instead of 1.?", "Do both styles make a list?"]
    }
    assert import_questionnaires(str(FIXTURES / "05_paren.ipynb")).chapters.keys() == {5}


def test_bad_input_gives_one_line_each_and_the_rest_still_imports(tmp_path: Path) -> None:
    missing = tmp_path / "99_missing.ipynb"
    result = import_questionnaires(
        [
            FIXTURES / "01_basic.ipynb",
            missing,
            BAD / "11_not_json.ipynb",
            BAD / "12_not_notebook.ipynb",
            BAD / "13_json_list.ipynb",
            BAD / "14_binary.ipynb",
            BAD / "15_empty_questionnaire.ipynb",
            BAD / "questions.ipynb",
            FIXTURES / "20_conclusion.ipynb",
            FIXTURES / "05_paren.ipynb",
        ]
    )

    assert sorted(result.chapters) == [1, 5]
    assert len(result.chapters[1]) == 5
    assert result.problems == [
        f"{missing}: no such file or folder",
        "questions.ipynb: no chapter number at the start of the file name; skipped",
        "11_not_json.ipynb: not a Jupyter notebook (not JSON)",
        "12_not_notebook.ipynb: not a Jupyter notebook (JSON, but not in notebook format)",
        "13_json_list.ipynb: not a Jupyter notebook (JSON, but not in notebook format)",
        "14_binary.ipynb: not a Jupyter notebook (not UTF-8 text)",
        "15_empty_questionnaire.ipynb: no questionnaire section; skipped",
        "20_conclusion.ipynb: no questionnaire section; skipped",
    ]
    assert all("\n" not in problem for problem in result.problems)


def test_a_broken_notebook_is_reported_as_broken_whatever_its_name(tmp_path: Path) -> None:
    """Not "no chapter number in the file name" for a file that is no notebook at all (issue 10)."""
    (tmp_path / "notes.ipynb").write_text('{"cells": [ oops')
    (tmp_path / "lesson.ipynb").write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff")
    result = import_questionnaires([tmp_path / "notes.ipynb", tmp_path / "lesson.ipynb", BAD / "questions.ipynb"])
    assert result.chapters == {}
    assert result.problems == [
        "notes.ipynb: not a Jupyter notebook (not JSON)",
        "lesson.ipynb: not a Jupyter notebook (not UTF-8 text)",
        "questions.ipynb: no chapter number at the start of the file name; skipped",
    ]


def test_a_missing_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    result = import_questionnaires(tmp_path / "fastbook")
    assert result == ImportResult(chapters={}, problems=[f"{tmp_path / 'fastbook'}: no such file or folder"])


def test_an_empty_folder_imports_nothing(tmp_path: Path) -> None:
    assert import_questionnaires(tmp_path) == ImportResult(chapters={}, problems=[])


def test_two_files_for_one_chapter_keep_the_first_by_name(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "01_basic.ipynb", tmp_path / "01_intro.ipynb")
    shutil.copy(FIXTURES / "05_paren.ipynb", tmp_path / "01_intro_edit.ipynb")

    result = import_questionnaires(tmp_path)

    assert len(result.chapters[1]) == 5
    assert result.problems == ["01_intro_edit.ipynb: chapter 1 already comes from 01_intro.ipynb; skipped"]


def test_a_fastbook_like_checkout(tmp_path: Path) -> None:
    for name in ("01_basic.ipynb", "09_inline.ipynb", "20_conclusion.ipynb", "app_extra.ipynb"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    (tmp_path / "clean").mkdir()
    shutil.copy(FIXTURES / "clean" / "01_basic.ipynb", tmp_path / "clean" / "01_basic.ipynb")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    shutil.copy(FIXTURES / "05_paren.ipynb", tmp_path / ".ipynb_checkpoints" / "05_paren-checkpoint.ipynb")
    (tmp_path / "README.md").write_text("# fastbook\n")

    result = import_questionnaires(tmp_path)

    assert {number: len(questions) for number, questions in result.chapters.items()} == {1: 5, 9: 7}
    assert result.problems == [
        "app_extra.ipynb: no chapter number at the start of the file name; skipped",
        "20_conclusion.ipynb: no questionnaire section; skipped",
    ]


@pytest.mark.parametrize(
    ("name", "number"),
    [("01_intro.ipynb", 1), ("20_conclusion.ipynb", 20), ("7.ipynb", 7), ("app_blog.ipynb", None), ("_01.ipynb", None)],
)
def test_chapter_number_comes_from_leading_digits(name: str, number: int | None) -> None:
    assert chapter_number(Path(name)) == number
