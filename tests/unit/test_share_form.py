from __future__ import annotations

import pytest

from bot.share.form import ShareForm, validate_share_form
from bot.share.views import (
    CHAPTER_BLOCK,
    LINK_BLOCK,
    NOTES_BLOCK,
    TITLE_BLOCK,
)

CHAPTERS = range(1, 21)


def values(**overrides: str | None) -> dict[str, str | None]:
    base: dict[str, str | None] = {
        TITLE_BLOCK: "My bear classifier",
        LINK_BLOCK: "https://github.com/me/bears",
        NOTES_BLOCK: "Learned about data augmentation",
        CHAPTER_BLOCK: "2",
    }
    keys = {"title": TITLE_BLOCK, "link": LINK_BLOCK, "notes": NOTES_BLOCK, "chapter": CHAPTER_BLOCK}
    base.update({keys[name]: value for name, value in overrides.items()})
    return base


def test_a_valid_submission_is_trimmed_and_typed() -> None:
    form, errors = validate_share_form(values(title="  My bear classifier ", link=" https://github.com/me/bears\n"),
                                       CHAPTERS)
    assert errors == {}
    assert form == ShareForm(
        title="My bear classifier",
        link="https://github.com/me/bears",
        notes="Learned about data augmentation",
        chapter=2,
    )


def test_notes_and_chapter_are_optional() -> None:
    form, errors = validate_share_form({TITLE_BLOCK: "Hi", LINK_BLOCK: "http://example.com"})
    assert errors == {}
    assert form is not None and form.notes == "" and form.chapter is None


@pytest.mark.parametrize("link", ["ftp://example.com/x", "javascript:alert(1)", "mailto:me@x.com"])
def test_links_must_be_http_urls(link: str) -> None:
    form, errors = validate_share_form(values(link=link), CHAPTERS)
    assert form is None
    assert errors == {LINK_BLOCK: "Please enter a link starting with https://"}


@pytest.mark.parametrize("link", ["https://", "https://localhost/notebook", "https:///path-only", "https://[::1"])
def test_links_need_a_real_host(link: str) -> None:
    form, errors = validate_share_form(values(link=link), CHAPTERS)
    assert form is None
    assert "https://" in errors[LINK_BLOCK]


def test_the_link_is_optional_a_question_is_worth_sharing_too() -> None:
    form, errors = validate_share_form(values(link="   "), CHAPTERS)
    assert errors == {}
    assert form is not None and form.link == ""


@pytest.mark.parametrize(("typed", "kept"), [
    ("kaggle.com/code/me/bears", "https://kaggle.com/code/me/bears"),
    ("www.github.com/me/bears", "https://www.github.com/me/bears"),
    ("HTTP://example.com/x", "HTTP://example.com/x"),
])
def test_a_link_without_a_scheme_gets_https(typed: str, kept: str) -> None:
    form, errors = validate_share_form(values(link=typed), CHAPTERS)
    assert errors == {}
    assert form is not None and form.link == kept


def test_a_schemeless_link_still_needs_a_real_host() -> None:
    _, errors = validate_share_form(values(link="notebook/bears"), CHAPTERS)
    assert "https://" in errors[LINK_BLOCK]


def test_links_with_spaces_are_explained() -> None:
    _, errors = validate_share_form(values(link="https://github.com/me/my notebook"), CHAPTERS)
    assert "spaces" in errors[LINK_BLOCK]


def test_title_is_required_and_bounded() -> None:
    assert TITLE_BLOCK in validate_share_form(values(title=" "), CHAPTERS)[1]
    assert validate_share_form(values(title="x" * 150), CHAPTERS)[1] == {}
    _, errors = validate_share_form(values(title="x" * 212), CHAPTERS)
    assert errors == {TITLE_BLOCK: "Title is 212 characters; please keep it to 150 or fewer."}


def test_notes_are_bounded() -> None:
    assert validate_share_form(values(notes="n" * 2000), CHAPTERS)[1] == {}
    _, errors = validate_share_form(values(notes="n" * 2001), CHAPTERS)
    assert errors == {NOTES_BLOCK: "Notes are 2,001 characters; please keep them to 2,000 or fewer."}


@pytest.mark.parametrize(("chapter", "expected"), [("", None), (None, None), (" 4 ", 4), ("20", 20)])
def test_known_chapters_are_accepted(chapter: str | None, expected: int | None) -> None:
    form, errors = validate_share_form(values(chapter=chapter), CHAPTERS)
    assert errors == {}
    assert form is not None and form.chapter == expected


@pytest.mark.parametrize("chapter", ["42", "0", "-1", "four", "2.5"])
def test_unknown_chapters_are_rejected(chapter: str) -> None:
    form, errors = validate_share_form(values(chapter=chapter), CHAPTERS)
    assert form is None
    assert list(errors) == [CHAPTER_BLOCK]


def test_any_chapter_number_is_fine_without_a_chapter_list() -> None:
    form, _ = validate_share_form(values(chapter="42"))
    assert form is not None and form.chapter == 42


def test_every_problem_is_reported_at_once_keyed_by_block_id() -> None:
    form, errors = validate_share_form(
        {TITLE_BLOCK: "", LINK_BLOCK: "ftp://nope", NOTES_BLOCK: "n" * 3000, CHAPTER_BLOCK: "99"}, CHAPTERS
    )
    assert form is None
    assert set(errors) == {TITLE_BLOCK, LINK_BLOCK, NOTES_BLOCK, CHAPTER_BLOCK}
    assert all(message.strip() for message in errors.values())
