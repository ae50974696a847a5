from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks import (
    MAX_CONTEXT_ELEMENTS,
    MAX_HEADER_TEXT,
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    button,
    context,
    divider,
    escape_mrkdwn,
    header,
    link,
    message,
    pack_lines,
    safe_url,
    section,
    shorten_mrkdwn,
    split_mrkdwn,
)

TOKEN = re.compile(r"<[^<>]*>")
ENTITY = re.compile(r"&(amp|lt|gt);")

PIECES = st.one_of(
    st.text(alphabet="abcdefghij", min_size=1, max_size=12),
    st.sampled_from(["<@U0123ABC>", "<https://example.com/a_b|a label with spaces>", "<https://fast.ai>", "&amp;",
                     "&lt;", "#42"]),
)
SEPARATORS = st.sampled_from([" ", " ", "  ", "\n"])


@st.composite
def mrkdwn_text(draw: st.DrawFn, max_pieces: int = 40) -> str:
    pieces = draw(st.lists(PIECES, min_size=1, max_size=max_pieces))
    out = pieces[0]
    for piece in pieces[1:]:
        out += draw(SEPARATORS) + piece
    return out


def assert_tokens_intact(output: str, source: str) -> None:
    for token in TOKEN.findall(output):
        assert token in source
    leftover = TOKEN.sub("", output)
    assert "<" not in leftover and ">" not in leftover
    assert all(ENTITY.match(output, m.start()) for m in re.finditer("&", output))


def test_escape_mrkdwn_escapes_the_three_control_characters() -> None:
    assert escape_mrkdwn("a & <b> c") == "a &amp; &lt;b&gt; c"


def test_safe_url_cannot_end_a_link_early() -> None:
    url = safe_url("https://x.com/a b|c>d?e=1&f=2")
    assert " " not in url and "|" not in url and ">" not in url
    assert url.endswith("e=1&amp;f=2")


def test_link_escapes_the_label() -> None:
    assert link("https://x.com", "A & <B>") == "<https://x.com|A &amp; &lt;B&gt;>"


def test_header_shortens_long_plain_text() -> None:
    block = header("word " * 100)
    assert block["type"] == "header"
    assert len(block["text"]["text"]) <= MAX_HEADER_TEXT
    assert block["text"]["text"].endswith("…")
    assert header("Week 3")["text"]["text"] == "Week 3"


def test_section_accepts_the_limit_and_refuses_more() -> None:
    assert section("x" * MAX_SECTION_TEXT)["text"]["type"] == "mrkdwn"
    with pytest.raises(ValueError):
        section("x" * (MAX_SECTION_TEXT + 1))
    with pytest.raises(ValueError):
        section("")


def test_section_block_id_is_passed_through() -> None:
    assert section("hi", block_id="intro")["block_id"] == "intro"


def test_context_element_limit() -> None:
    assert len(context(*["a"] * MAX_CONTEXT_ELEMENTS)["elements"]) == MAX_CONTEXT_ELEMENTS
    with pytest.raises(ValueError):
        context(*["a"] * (MAX_CONTEXT_ELEMENTS + 1))
    with pytest.raises(ValueError):
        context()


def test_divider() -> None:
    assert divider() == {"type": "divider"}


def test_button_fields_and_checks() -> None:
    element = button("x" * 100, "do_it", value="7", style="primary")
    assert element["action_id"] == "do_it"
    assert element["value"] == "7"
    assert element["style"] == "primary"
    assert len(element["text"]["text"]) <= 75
    assert "url" in button("Open", "open", url="https://fast.ai")
    with pytest.raises(ValueError):
        button("Go", "go", style="loud")
    with pytest.raises(ValueError):
        button("Go", "a" * 256)
    with pytest.raises(ValueError):
        button("Go", "go", value="v" * 2001)


def test_message_requires_fallback_text_and_respects_block_limit() -> None:
    assert message("hi", [divider()]) == {"text": "hi", "blocks": [{"type": "divider"}]}
    with pytest.raises(ValueError):
        message("  ", [divider()])
    with pytest.raises(ValueError):
        message("hi", [divider()] * (MAX_MESSAGE_BLOCKS + 1))


def test_pack_lines_refuses_a_line_that_cannot_fit() -> None:
    with pytest.raises(ValueError):
        pack_lines(["short", "x" * 11], limit=10)


@settings(max_examples=60, derandomize=True)
@given(st.lists(st.text(alphabet="ab <>|", min_size=0, max_size=30), max_size=40), st.integers(30, 80))
def test_pack_lines_keeps_every_line_whole_in_order_and_packs_greedily(lines: list[str], limit: int) -> None:
    chunks = pack_lines(lines, limit=limit)
    assert all(len(chunk) <= limit for chunk in chunks)
    assert [line for chunk in chunks for line in chunk.split("\n")] == lines
    for chunk, following in pairwise(chunks):
        assert len(chunk) + 1 + len(following.split("\n")[0]) > limit


@settings(max_examples=80, derandomize=True)
@given(mrkdwn_text(), st.integers(60, 200))
def test_split_mrkdwn_respects_limit_and_never_breaks_tokens(text: str, limit: int) -> None:
    chunks = split_mrkdwn(text, limit)
    assert all(0 < len(chunk) <= limit for chunk in chunks)
    assert "".join("".join(chunks).split()) == "".join(text.split())
    for chunk in chunks:
        assert_tokens_intact(chunk, text)
    assert len(TOKEN.findall("".join(chunks))) == len(TOKEN.findall(text))


def test_split_mrkdwn_hard_cuts_a_long_word_between_entities() -> None:
    text = "&amp;" * 50
    chunks = split_mrkdwn(text, 12)
    assert "".join(chunks) == text
    assert all(len(chunk) <= 12 and chunk.count("&") * 5 == len(chunk) for chunk in chunks)


def test_shorten_mrkdwn_leaves_short_text_alone() -> None:
    assert shorten_mrkdwn("hello <@U1>", 20) == "hello <@U1>"


def test_shorten_mrkdwn_drops_a_link_that_straddles_the_limit() -> None:
    text = "see " + "<https://example.com/notebook|my notebook>" + " please"
    assert shorten_mrkdwn(text, 30) == "see…"


def test_shorten_mrkdwn_never_cuts_a_mention() -> None:
    text = "thanks " * 3 + "<@U0123456789> " + "rest " * 10
    shortened = shorten_mrkdwn(text, 30)
    assert shortened == "thanks thanks thanks…"


def test_shorten_mrkdwn_replaces_an_oversized_first_link_with_its_label() -> None:
    text = f"<https://example.com/{'x' * 200}|My bear classifier>"
    assert shorten_mrkdwn(text, 120) == "My bear classifier…"


def test_shorten_mrkdwn_shows_an_oversized_bare_link_as_text() -> None:
    shortened = shorten_mrkdwn(f"<https://colab.research.google.com/{'y' * 300}>", 40)
    assert shortened.startswith("colab.research.google.com/")
    assert len(shortened) == 40 and "<" not in shortened


@settings(max_examples=120, derandomize=True)
@given(mrkdwn_text(max_pieces=60).map(lambda t: " ".join(t.split("\n"))), st.integers(10, 130))
def test_shorten_mrkdwn_fits_and_keeps_tokens_whole(text: str, limit: int) -> None:
    shortened = shorten_mrkdwn(text, limit)
    assert len(shortened) <= limit
    if len(text) <= limit:
        assert shortened == text
    else:
        assert shortened.endswith("…")
    assert_tokens_intact(shortened, text)
