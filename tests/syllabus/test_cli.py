"""`studybot syllabus import|show` on the fixture notebooks, and re-imports that keep every answer's key."""
from __future__ import annotations

import asyncio
import json
from pathlib import Path

from click.testing import CliRunner, Result
from sqlalchemy import select

from bot.blocks import NO_PING
from bot.database import Database
from bot.main.cli import cli
from bot.models import Question
from bot.questionnaire.record import slack_to_markdown
from bot.syllabus.importer import import_questionnaires

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"
BAD = FIXTURES / "bad"
COUNTS = {1: 5, 2: 3, 3: 3, 4: 5, 5: 2, 6: 6, 7: 3, 8: 4, 9: 7, 10: 40}


def studybot(database_url: str, *args: str | Path) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env={"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": ""})


def with_cohort(database_url: str, name: str = "fastbook") -> None:
    created = studybot(database_url, "cohort", "create", name, "--channel", "C0123ABCDEF",
                       "--start", "2026-03-03 18:00", "--timezone", "Europe/London", "--team", "T0123ABCDEF",
                       "--allow-past")
    assert created.exit_code == 0, created.stderr


def show(database_url: str) -> dict:
    result = studybot(database_url, "syllabus", "show", "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def questions(database_url: str, chapter: int) -> list[Question]:
    async def load() -> list[Question]:
        db = Database(database_url)
        try:
            async with db.session() as session:
                return list(await session.scalars(
                    select(Question).where(Question.chapter == chapter).order_by(Question.position)
                ))
        finally:
            await db.dispose()

    return asyncio.run(load())


def test_importing_the_fixtures_prints_per_chapter_counts_and_the_total(database_url):
    with_cohort(database_url)
    result = studybot(database_url, "syllabus", "import", FIXTURES)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "chapter  1 Your Deep Learning Journey: 5 questions (5 new)"
    assert lines[9] == "chapter 10 NLP Deep Dive: RNNs: 40 questions (40 new)"
    assert lines[10] == f"imported {sum(COUNTS.values())} questions from 10 chapters into cohort fastbook"
    assert lines[11:] == [
        "skipped: app_extra.ipynb: no chapter number at the start of the file name; skipped",
        "skipped: 20_conclusion.ipynb: no questionnaire section; skipped",
    ]
    assert result.stderr.splitlines() == [f"storing chapters: {n}/10 ({n * 10}%)" for n in range(1, 11)]


def test_show_json_has_exactly_the_documented_shape(database_url):
    with_cohort(database_url)
    studybot(database_url, "syllabus", "import", FIXTURES)
    data = show(database_url)
    assert list(data) == ["chapters"]
    assert [list(chapter) for chapter in data["chapters"]] == [["number", "title", "questions"]] * 20
    assert [chapter["number"] for chapter in data["chapters"]] == list(range(1, 21))
    assert data["chapters"][3]["title"] == "Under the Hood: Training a Digit Classifier"
    expected = {number: [slack_to_markdown(q) for q in questions]  # stored as mrkdwn, shown as written
                for number, questions in import_questionnaires(FIXTURES).chapters.items()}
    assert {c["number"]: c["questions"] for c in data["chapters"] if c["questions"]} == expected
    assert all(isinstance(q, str) for c in data["chapters"] for q in c["questions"])
    text = studybot(database_url, "syllabus", "show")
    assert text.stdout.startswith("Chapter 1 — Your Deep Learning Journey (5 questions)\n"
                                  "  1. What does a reading group meet to discuss each week?\n")


def edited_basic_notebook(folder: Path) -> Path:
    """01_basic with question 3 reworded and question 5 gone."""
    notebook = json.loads((FIXTURES / "01_basic.ipynb").read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "markdown":
            lines = [line.replace("Name two ways", "Name three ways") for line in cell["source"]
                     if not line.startswith("1. When should you ask for help")]
            cell["source"] = lines
    path = folder / "01_basic.ipynb"
    path.write_text(json.dumps(notebook))
    return path


def test_reimport_updates_texts_in_place_and_retires_vanished_questions(database_url, tmp_path):
    with_cohort(database_url)
    studybot(database_url, "syllabus", "import", FIXTURES)
    before = questions(database_url, 1)

    result = studybot(database_url, "syllabus", "import", edited_basic_notebook(tmp_path))
    assert result.stdout.splitlines()[0] == "chapter  1 Your Deep Learning Journey: 4 questions (1 changed, 1 retired)"
    after = questions(database_url, 1)
    assert [(q.id, q.position) for q in after] == [(q.id, q.position) for q in before]  # answers stay attached
    assert after[2].text == "Name three ways a study buddy can help you finish a chapter."
    assert after[2].text_changed_at is not None
    assert [q.text_changed_at for i, q in enumerate(after) if i != 2] == [None] * 4
    assert [q.retired for q in after] == [False, False, False, False, True]
    assert len(show(database_url)["chapters"][0]["questions"]) == 4
    assert len(questions(database_url, 4)) == COUNTS[4]  # chapters not in this import are untouched

    back = studybot(database_url, "syllabus", "import", FIXTURES / "01_basic.ipynb")
    assert back.stdout.splitlines()[0] == "chapter  1 Your Deep Learning Journey: 5 questions (1 changed)"
    revived = questions(database_url, 1)
    assert [q.id for q in revived] == [q.id for q in before] and not any(q.retired for q in revived)
    assert [q.text for q in revived] == [q.text for q in before]


def test_bad_files_get_one_line_each_and_the_rest_is_imported(database_url, tmp_path):
    with_cohort(database_url)
    result = studybot(database_url, "syllabus", "import", tmp_path / "nowhere", BAD / "11_not_json.ipynb",
                      FIXTURES / "05_paren.ipynb")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[-3:] == [
        "imported 2 questions from 1 chapter into cohort fastbook",
        f"skipped: {tmp_path / 'nowhere'}: no such file or folder",
        "skipped: 11_not_json.ipynb: not a Jupyter notebook (not JSON)",
    ]
    summary = json.loads(studybot(database_url, "syllabus", "import", "--json", tmp_path / "nowhere",
                                  FIXTURES / "05_paren.ipynb").stdout)
    assert summary == {"command": "syllabus import", "ok": True, "done": [
        "chapter  5 Image Classification: 2 questions (unchanged)",
        "imported 2 questions from 1 chapter into cohort fastbook"],
        "skipped": [f"{tmp_path / 'nowhere'}: no such file or folder"], "failed": [], "cohort": "fastbook",
        "questions": 2, "chapters": [5]}


def test_nothing_importable_exits_non_zero_and_stores_nothing(database_url, tmp_path):
    with_cohort(database_url)
    result = studybot(database_url, "syllabus", "import", BAD, tmp_path / "missing.ipynb")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "studybot: nothing was imported (no questionnaire found in the sources given)"
    assert len(lines) == len(list(BAD.iterdir())) + 2 and all(line.startswith("studybot: ") for line in lines)
    assert all(chapter["questions"] == [] for chapter in show(database_url)["chapters"])


def test_importing_needs_a_cohort_and_says_how_to_make_one(database_url):
    result = studybot(database_url, "syllabus", "import", FIXTURES / "05_paren.ipynb")
    assert result.exit_code == 1
    assert result.stderr == ("studybot: No cohort yet. Create one with: studybot cohort create NAME --channel C… "
                             "--start … --timezone …\n")
    with_cohort(database_url, "one")
    with_cohort(database_url, "two")
    several = studybot(database_url, "syllabus", "import", FIXTURES / "05_paren.ipynb")
    assert several.stderr == "studybot: Several cohorts (one, two); choose one with --cohort NAME.\n"
    chosen = studybot(database_url, "syllabus", "import", FIXTURES / "05_paren.ipynb", "--cohort", "two")
    assert chosen.stdout.endswith("into cohort two\n")


def notebook_with(folder: Path, name: str, *cells: str) -> Path:
    path = folder / name
    path.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": source, "id": f"cell{index}"}
        for index, source in enumerate(cells)]}))
    return path


def test_show_prints_questions_as_written_with_readable_cross_references(database_url, tmp_path):
    """No HTML entities (`index-&gt;category`), and cross-references read as what they point to (issue 10)."""
    with_cohort(database_url)
    notebook_with(
        tmp_path, "05_pet_breeds.ipynb",
        '<img alt="Softmax" width="400" caption="Softmax of bear classifier" id="bear_softmax" src="images/a.png">',
        "## Questionnaire",
        "1. What does `index->category` do, and when is `a < b & c`?\n"
        "1. What does <<bear_softmax>> show?\n"
        "1. Which idea comes back in <<chapter_nlp>>?\n"
        "1. See <<fig_some_unknown_thing>>.",
    )
    assert studybot(database_url, "syllabus", "import", tmp_path).exit_code == 0
    expected = [
        "What does `index->category` do, and when is `a < b & c`?",
        'What does the figure "Softmax of bear classifier" show?',
        'Which idea comes back in chapter 10, "NLP Deep Dive: RNNs"?',
        'See the figure "some unknown thing".',
    ]
    assert show(database_url)["chapters"][4]["questions"] == expected
    text = studybot(database_url, "syllabus", "show").stdout
    assert all(f"  {position}. {question}\n" in text for position, question in enumerate(expected, start=1))
    assert "&gt;" not in text and "&lt;" not in text and "&amp;" not in text


def test_typed_channel_here_and_everyone_in_imported_questions_notify_nobody(database_url, tmp_path):
    """Questions are posted as mrkdwn: a typed `@channel` gets the defusing members' text gets (issue 22)."""
    with_cohort(database_url)
    notebook_with(tmp_path, "01_basic.ipynb", "## Questionnaire",
                  "1. Should you tell @channel about it?\n"
                  "1. Why not ask @here, or **@everyone**?\n"
                  "1. Mail team@everyone.example or @channels.")
    assert studybot(database_url, "syllabus", "import", tmp_path).exit_code == 0
    texts = [q.text for q in questions(database_url, 1)]
    assert texts == [f"Should you tell {NO_PING}channel about it?",
                     f"Why not ask {NO_PING}here, or *{NO_PING}everyone*?",
                     "Mail team@everyone.example or @channels."]
    assert show(database_url)["chapters"][0]["questions"][0] == f"Should you tell {NO_PING}channel about it?"


EXAMPLES = Path(__file__).parents[2] / "examples"


def test_new_prints_the_built_in_fastbook_which_is_the_example(database_url):
    result = studybot(database_url, "syllabus", "new", "--from", "fastbook")
    assert result.exit_code == 0
    assert result.stdout == (EXAMPLES / "fastbook.yaml").read_text(encoding="utf-8")
    unknown = studybot(database_url, "syllabus", "new", "--from", "sicp")
    assert unknown.exit_code == 1 and unknown.stderr == 'studybot: no built-in syllabus "sicp" (there is: fastbook)\n'


def test_a_dry_run_prints_the_weeks_and_stores_nothing(database_url):
    with_cohort(database_url)
    result = studybot(database_url, "syllabus", "import", EXAMPLES / "think-python.yaml", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Think Python, 3rd edition — Allen B. Downey (https://allendowney.github.io/ThinkPython/)"
    assert lines[1] == "week  1 Programming as a way of thinking: 1 link, reading about 1 hour, 3 questions"
    assert lines[-1] == "dry run: nothing was stored"
    assert show(database_url)["chapters"][0]["title"] == "Your Deep Learning Journey"


def test_an_invalid_file_stores_nothing_and_says_each_problem_with_its_line(database_url, tmp_path):
    with_cohort(database_url)
    text = (EXAMPLES / "think-python.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "broken.yaml"
    chapter5 = "https://allendowney.github.io/ThinkPython/chap05"
    text = text.replace('    title: "Functions"\n', "").replace(chapter5, "file:///chap05")
    broken.write_text(text, encoding="utf-8")
    result = studybot(database_url, "syllabus", "import", broken)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "studybot: broken.yaml has 2 problems:", "line 31: chapter 3 has no title",
        "line 52: chapter 5, link 1: 'file:///chap05.html' is not an http(s) link"]
    assert show(database_url)["chapters"][0]["title"] == "Your Deep Learning Journey"
    assert not any(chapter["questions"] for chapter in show(database_url)["chapters"])


def test_a_cohort_created_on_a_syllabus_file_has_its_weeks_and_questions(database_url):
    created = studybot(database_url, "cohort", "create", "py", "--channel", "C0123ABCDEF", "--start",
                       "2026-03-03 18:00", "--timezone", "Europe/London", "--team", "T0123ABCDEF", "--allow-past",
                       "--syllabus", EXAMPLES / "think-python.yaml")
    assert created.exit_code == 0, created.output
    assert "18 weeks" in created.stdout  # the week plan: chapters 18 and 19 share the last week
    chapters = show(database_url)["chapters"]
    assert [c["title"] for c in chapters][-2:] == ["Inheritance", "Python Extras, and final thoughts"]
    assert chapters[0]["questions"][0] == (
        "What is the difference between a *value* and a *type*? Give an example of each.")
    assert len(chapters[-1]["questions"]) == 5
    unknown = studybot(database_url, "cohort", "create", "x", "--channel", "C0123ABCDEF", "--start",
                       "2026-03-03 18:00", "--timezone", "Europe/London", "--team", "T0123ABCDEF", "--allow-past",
                       "--syllabus", "sicp")
    assert unknown.exit_code == 1
    assert unknown.stderr == 'studybot: No syllabus "sicp": give fastbook, or the path of a syllabus file.\n'
