from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.syllabus.notebook import NotebookReadError, extract_questionnaire, read_notebook

FIXTURES = Path(__file__).parents[1] / "fixtures" / "notebooks"


def questions_in(name: str) -> list[str]:
    return extract_questionnaire(read_notebook(FIXTURES / name))


def test_basic_list_after_heading_cell_stops_at_further_research() -> None:
    assert questions_in("01_basic.ipynb") == [
        "What does a reading group meet to discuss each week?",
        "Why is it useful to run the notebook yourself instead of only reading it?",
        "Name two ways a study buddy can help you finish a chapter.",
        'What is the difference between a "training set" and a "validation set"?',
        "When should you ask for help in the group channel?",
    ]


def test_sources_stored_as_strings() -> None:
    assert questions_in("02_string_source.ipynb") == [
        "Why might a notebook store a cell as one string?",
        "Why might it store a cell as a list of lines?",
        "Does the reader care which one it gets?",
    ]


@pytest.mark.parametrize("name", ["01_basic.ipynb", "06_nested.ipynb", "09_inline.ipynb"])
def test_list_and_string_sources_give_the_same_questions(name: str) -> None:
    # nbformat.read joins list sources, so build both shapes from the raw JSON.
    as_lists = json.loads((FIXTURES / name).read_text())
    as_strings = {**as_lists, "cells": [{**cell, "source": "".join(cell["source"])} for cell in as_lists["cells"]]}
    assert all(isinstance(cell["source"], list) for cell in as_lists["cells"])
    assert extract_questionnaire(as_lists) == extract_questionnaire(as_strings) == questions_in(name)
    assert extract_questionnaire(nbformat.from_dict(as_lists)) == questions_in(name)


def test_prose_tip_and_code_cells_between_heading_and_list_are_skipped() -> None:
    assert questions_in("03_interlude.ipynb") == [
        "What is a tip cell for?",
        "Why do we skip code cells when reading questions?",
        "What makes a good answer to a study question?",
    ]


def test_real_numbers_are_accepted_but_questions_are_numbered_by_position() -> None:
    # The list is split by a code cell and its digits jump from 3 to 5 to 9.
    assert questions_in("04_numbered.ipynb") == [
        "Is the first question numbered one?",
        "Does the second question say 2. in its text?",
        "What is 3. plus 4.?",
        "Is this the fourth question even though it says five?",
        "And is this the fifth?",
    ]


def test_parenthesis_markers() -> None:
    assert questions_in("05_paren.ipynb") == [
        "Why would someone write 1) instead of 1.?",
        "Do both styles make a list?",
    ]


def test_sub_lists_blank_lines_and_continuations_stay_with_their_question() -> None:
    assert questions_in("06_nested.ipynb") == [
        "Which of these are hyperparameters?\n"
        "    • the learning rate\n"
        "    • the number of epochs\n"
        "    • the weights of the first layer",
        "Explain each step of the loop:\n"
        "    • predict\n"
        "    • compute the loss\n"
        "        • why do we need a loss at all?\n"
        "    • step the weights",
        "This question is long, so it wraps onto a second line and a third line.",
        "This question has a blank line inside it.\nIt continues after the blank line.",
        "This one has a whitespace-only line\n"
        "    • followed by a dash sub-item\n"
        "    • and a star sub-item\n"
        "    • and a plus sub-item",
        "Put the steps in order:\n    1. collect data\n    2. train a model\n    3. check the errors",
    ]


def test_heading_sharing_a_cell_and_end_heading_mid_cell() -> None:
    assert questions_in("07_end_mid_cell.ipynb") == [
        "Can a heading share a cell with the list?",
        "Does the list stop at the next heading?",
        "Is the last question kept?",
    ]


def test_section_ends_at_a_level_two_wrap_up_heading() -> None:
    assert questions_in("08_wrapup.ipynb") == [
        "Why does this chapter end with a wrap-up instead of research?",
        "What did you find hardest?",
        "What would you like to revisit?",
        "Who could you explain this chapter to?",
    ]


def test_inline_markdown_is_converted_to_mrkdwn() -> None:
    assert questions_in("09_inline.ipynb") == [
        "What does `learn.fine_tune(1)` do, and why is `lr &lt; 1e-2` a sensible start?",
        "Read the <https://docs.fast.ai/|fastai docs> &amp; the "
        "<https://forums.fast.ai/t/x?page=2&amp;sort=new|forum thread> about _transfer learning_.",
        "Why is *normalization* important for a _pretrained_ model?",
        "How many activations does a 28×28 image give after a 3×3 convolution with *no padding*?",
        'As we saw in chapter 1, "Your Deep Learning Journey", what is an "epoch"? (See also the metrics section.)',
        "Is it true that a &lt; b and b &gt; c says nothing about a &amp; c?",
        "Why is `x&lt;y` written `&amp;lt;` in HTML? Explain _escaping_ in your own words.",
    ]


def test_a_forty_question_chapter() -> None:
    questions = questions_in("10_long.ipynb")
    sub_list = "\n    • think about the learning rate\n    • think about the data"
    assert questions == [
        f"Question {n}: what would you try first if the loss stopped improving after epoch {n}?"
        + (sub_list if n % 10 == 0 else "")
        for n in range(1, 41)
    ]


def test_chapter_without_questionnaire_gives_no_questions() -> None:
    assert questions_in("20_conclusion.ipynb") == []


def test_questionnaire_heading_without_items_gives_no_questions() -> None:
    assert questions_in("bad/15_empty_questionnaire.ipynb") == []


def test_empty_notebook_gives_no_questions() -> None:
    assert extract_questionnaire({"cells": []}) == []
    assert extract_questionnaire({}) == []


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("bad/11_not_json.ipynb", "not a Jupyter notebook (not JSON)"),
        ("bad/12_not_notebook.ipynb", "not a Jupyter notebook (JSON, but not in notebook format)"),
        ("bad/13_json_list.ipynb", "not a Jupyter notebook (JSON, but not in notebook format)"),
        ("bad/14_binary.ipynb", "not a Jupyter notebook (not UTF-8 text)"),
    ],
)
def test_read_notebook_rejects_files_that_are_not_notebooks(name: str, reason: str) -> None:
    with pytest.raises(NotebookReadError) as raised:
        read_notebook(FIXTURES / name)
    assert str(raised.value) == reason


# An independent generator: lay the same questions out in the ways the real
# notebooks do, and check the extractor always finds exactly them.
_WORDS = st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=8), min_size=1, max_size=6)
_QUESTIONS = st.lists(_WORDS.map(lambda words: " ".join(words).capitalize() + "?"), min_size=1, max_size=15)


def _cell(cell_type: str, text: str, as_list: bool) -> dict[str, Any]:
    return {"cell_type": cell_type, "metadata": {}, "source": text.splitlines(keepends=True) if as_list else text}


@settings(max_examples=150, derandomize=True)
@given(
    questions=_QUESTIONS,
    marker=st.sampled_from(["auto", "position", "paren"]),
    preamble=st.lists(st.sampled_from(["prose", "tip", "code"]), max_size=3),
    heading_shares_cell=st.booleans(),
    end=st.sampled_from(["### Further Research", "### Further Research:", "## Wrap Up", "#### Next", None]),
    end_in_list_cell=st.booleans(),
    as_list=st.booleans(),
)
def test_generated_layouts(
    questions: list[str],
    marker: str,
    preamble: list[str],
    heading_shares_cell: bool,
    end: str | None,
    end_in_list_cell: bool,
    as_list: bool,
) -> None:
    markers = {"auto": lambda n: "1.", "position": lambda n: f"{n}.", "paren": lambda n: f"{n})"}[marker]
    items = "\n".join(f"{markers(n)} {question}" for n, question in enumerate(questions, start=1))
    research = "1. Not a question at all."
    extra = {
        "prose": ("markdown", "Answer these before moving on."),
        "tip": ("markdown", "> tip: write answers down."),
        "code": ("code", "# a comment\nx = 1"),
    }
    cells = [_cell("markdown", "Chapter text.", as_list)]
    if heading_shares_cell and not preamble:
        list_cell = f"## Questionnaire\n\n{items}"
    else:
        cells.append(_cell("markdown", "## Questionnaire", as_list))
        cells.extend(_cell(*extra[kind], as_list) for kind in preamble)
        list_cell = items
    if end and end_in_list_cell:
        cells.append(_cell("markdown", f"{list_cell}\n\n{end}\n\n{research}", as_list))
    else:
        cells.append(_cell("markdown", list_cell, as_list))
        if end:
            cells.append(_cell("markdown", end, as_list))
            cells.append(_cell("markdown", research, as_list))
    assert extract_questionnaire({"cells": cells}) == questions
