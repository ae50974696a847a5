"""The built-in syllabus: the twenty chapters of the fastai book (fastbook).

Only facts about the book ship here (numbers, titles, notebook names, links).
The questionnaire text is the authors' prose, which is not licensed for
redistribution; admins import it from their own checkout instead
(see `bot.syllabus.importer`).
"""

from __future__ import annotations

from dataclasses import dataclass

FASTBOOK_BLOB_URL = "https://github.com/fastai/fastbook/blob/master"
COLAB_URL = "https://colab.research.google.com/github/fastai/fastbook/blob/master"
COURSE_LESSON_URL = "https://course.fast.ai/Lessons/lesson{lesson}.html"


@dataclass(frozen=True)
class BookChapter:
    """A chapter as the book defines it; a cohort keeps its own copy as a `bot.models.Chapter` row."""

    number: int
    title: str
    notebook: str
    notebook_url: str
    clean_url: str
    colab_url: str
    video_url: str | None = None


_CHAPTERS: tuple[tuple[int, str, str], ...] = (
    (1, "01_intro", "Your Deep Learning Journey"),
    (2, "02_production", "From Model to Production"),
    (3, "03_ethics", "Data Ethics"),
    (4, "04_mnist_basics", "Under the Hood: Training a Digit Classifier"),
    (5, "05_pet_breeds", "Image Classification"),
    (6, "06_multicat", "Other Computer Vision Problems"),
    (7, "07_sizing_and_tta", "Training a State-of-the-Art Model"),
    (8, "08_collab", "Collaborative Filtering Deep Dive"),
    (9, "09_tabular", "Tabular Modeling Deep Dive"),
    (10, "10_nlp", "NLP Deep Dive: RNNs"),
    (11, "11_midlevel_data", "Data Munging with fastai's Mid-Level API"),
    (12, "12_nlp_dive", "A Language Model from Scratch"),
    (13, "13_convolutions", "Convolutional Neural Networks"),
    (14, "14_resnet", "ResNets"),
    (15, "15_arch_details", "Application Architectures Deep Dive"),
    (16, "16_accel_sgd", "The Training Process"),
    (17, "17_foundations", "A Neural Net from the Foundations"),
    (18, "18_CAM", "CNN Interpretation with CAM"),
    (19, "19_learner", "A fastai Learner from Scratch"),
    (20, "20_conclusion", "Concluding Thoughts"),
)

# Practical Deep Learning for Coders (2022) lessons whose subject is the
# chapter's subject. Chapters without a clear match get no video rather than
# a guess.
_COURSE_LESSON_FOR_CHAPTER: dict[int, int] = {
    1: 1,  # Getting started
    2: 2,  # Deployment
    4: 3,  # Neural net foundations
    9: 6,  # Random forests
    8: 7,  # Collaborative filtering
    13: 8,  # Convolutions (CNNs)
}


def default_syllabus() -> list[BookChapter]:
    """The fastbook chapters 1-20 in reading order, with notebook, clean-notebook and Colab links."""
    return [_chapter(number, stem, title) for number, stem, title in _CHAPTERS]


def _chapter(number: int, stem: str, title: str) -> BookChapter:
    notebook = f"{stem}.ipynb"
    lesson = _COURSE_LESSON_FOR_CHAPTER.get(number)
    return BookChapter(
        number=number,
        title=title,
        notebook=notebook,
        notebook_url=f"{FASTBOOK_BLOB_URL}/{notebook}",
        clean_url=f"{FASTBOOK_BLOB_URL}/clean/{notebook}",
        colab_url=f"{COLAB_URL}/{notebook}",
        video_url=COURSE_LESSON_URL.format(lesson=lesson) if lesson else None,
    )
