from __future__ import annotations

import dataclasses

import pytest

from bot.syllabus.fastbook import BookChapter, default_syllabus

NOTEBOOKS = [
    "01_intro", "02_production", "03_ethics", "04_mnist_basics", "05_pet_breeds", "06_multicat",
    "07_sizing_and_tta", "08_collab", "09_tabular", "10_nlp", "11_midlevel_data", "12_nlp_dive",
    "13_convolutions", "14_resnet", "15_arch_details", "16_accel_sgd", "17_foundations", "18_CAM",
    "19_learner", "20_conclusion",
]  # fmt: skip


def test_twenty_chapters_in_order_with_their_notebooks() -> None:
    syllabus = default_syllabus()
    assert [chapter.number for chapter in syllabus] == list(range(1, 21))
    assert [chapter.notebook for chapter in syllabus] == [f"{stem}.ipynb" for stem in NOTEBOOKS]


@pytest.mark.parametrize(
    ("number", "title"),
    [
        (1, "Your Deep Learning Journey"),
        (4, "Under the Hood: Training a Digit Classifier"),
        (11, "Data Munging with fastai's Mid-Level API"),
        (18, "CNN Interpretation with CAM"),
        (20, "Concluding Thoughts"),
    ],
)
def test_titles(number: int, title: str) -> None:
    assert default_syllabus()[number - 1].title == title


def test_titles_are_unique_and_non_empty() -> None:
    titles = [chapter.title for chapter in default_syllabus()]
    assert all(titles) and len(set(titles)) == 20


def test_links() -> None:
    chapter = default_syllabus()[3]
    assert chapter.notebook_url == "https://github.com/fastai/fastbook/blob/master/04_mnist_basics.ipynb"
    assert chapter.clean_url == "https://github.com/fastai/fastbook/blob/master/clean/04_mnist_basics.ipynb"
    assert chapter.colab_url == "https://colab.research.google.com/github/fastai/fastbook/blob/master/04_mnist_basics.ipynb"


def test_every_link_points_at_its_own_notebook() -> None:
    for chapter in default_syllabus():
        for url in (chapter.notebook_url, chapter.clean_url, chapter.colab_url):
            assert url.endswith(f"/{chapter.notebook}")


def test_videos_only_where_a_course_lesson_covers_the_chapter() -> None:
    videos = {chapter.number: chapter.video_url for chapter in default_syllabus() if chapter.video_url}
    assert videos == {
        1: "https://course.fast.ai/Lessons/lesson1.html",
        2: "https://course.fast.ai/Lessons/lesson2.html",
        4: "https://course.fast.ai/Lessons/lesson3.html",
        8: "https://course.fast.ai/Lessons/lesson7.html",
        9: "https://course.fast.ai/Lessons/lesson6.html",
        13: "https://course.fast.ai/Lessons/lesson8.html",
    }


def test_chapters_are_immutable_values() -> None:
    chapter = default_syllabus()[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        chapter.title = "changed"  # type: ignore[misc]
    assert default_syllabus()[0] == chapter
    assert isinstance(chapter, BookChapter)


def test_no_question_text_is_shipped() -> None:
    # The built-in syllabus carries no questions at all: they are imported.
    assert {field.name for field in dataclasses.fields(BookChapter)} == {
        "number", "title", "notebook", "notebook_url", "clean_url", "colab_url", "video_url",
    }  # fmt: skip
