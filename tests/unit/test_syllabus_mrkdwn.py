from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.syllabus.mrkdwn import describe_xref, escape_mrkdwn, markdown_to_mrkdwn

CASES = [
    # plain text and escaping
    ("plain words stay as they are", "plain words stay as they are"),
    ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("<@U123> and <!channel> are not mentions here", "&lt;@U123&gt; and &lt;!channel&gt; are not mentions here"),
    ("3×3 kernels and 2*3*4 arithmetic", "3×3 kernels and 2*3*4 arithmetic"),
    ("a * b * c", "a * b * c"),
    ("snake_case_name stays", "snake_case_name stays"),
    # emphasis
    ("**bold**", "*bold*"),
    ("__bold__", "*bold*"),
    ("*emphasis*", "_emphasis_"),
    ("_emphasis_", "_emphasis_"),
    ("***both***", "*_both_*"),
    ("**a *b* c**", "*a _b_ c*"),
    ("why **not**?", "why *not*?"),
    ("** not bold **", "** not bold **"),
    # inline code is not converted, but still escaped for Slack
    ("run `learn.fit(1)` now", "run `learn.fit(1)` now"),
    ("`**kwargs` and `*args`", "`**kwargs` and `*args`"),
    ("`a < b && c`", "`a &lt; b &amp;&amp; c`"),
    ("`[x](y)` is a link", "`[x](y)` is a link"),
    ("``code with ` tick``", "``code with ` tick``"),
    ("`<<chapter_intro>>`", "`&lt;&lt;chapter_intro&gt;&gt;`"),
    # links
    ("[fastai](https://docs.fast.ai/)", "<https://docs.fast.ai/|fastai>"),
    ("[q](https://x.org/?a=1&b=2)", "<https://x.org/?a=1&amp;b=2|q>"),
    ("[**bold** label](https://x.org)", "<https://x.org|*bold* label>"),
    ("[a < b](https://x.org)", "<https://x.org|a &lt; b>"),
    ("[wiki](https://en.wikipedia.org/wiki/Foo_(bar))", "<https://en.wikipedia.org/wiki/Foo_(bar)|wiki>"),
    ('[t](https://x.org "title")', "<https://x.org|t>"),
    ("[pipe](https://x.org/a|b)", "<https://x.org/a%7Cb|pipe>"),
    ("<https://course.fast.ai>", "<https://course.fast.ai>"),
    ("![](https://x.org/img.png)", "<https://x.org/img.png>"),
    ("[the ethics chapter](03_ethics.ipynb)", "the ethics chapter"),
    ("[up](#questionnaire)", "up"),
    ("[not a link]", "[not a link]"),
    # AsciiDoc cross-references
    ("see <<chapter_mnist_basics>>", 'see chapter 4, "Under the Hood: Training a Digit Classifier"'),
    ("see <<sec_loss_functions>>", 'see the section "loss functions"'),
    ("see <<img_layers>>", 'see the figure "layers"'),
    ("see <<chapter_intro, the first chapter>>", "see the first chapter"),
    ("see <<unknown_target>>", 'see "unknown target"'),
    ("<< not a ref >>", "&lt;&lt; not a ref &gt;&gt;"),
    # HTML entities and backslash escapes
    ("&amp; &times; &lt;b&gt;", "&amp; × &lt;b&gt;"),
    ("&bogus; stays", "&amp;bogus; stays"),
    (r"\*not emphasis\*", "*not emphasis*"),
    (r"\<b\>", "&lt;b&gt;"),
    # block structure
    ("joined\ncontinuation\nlines", "joined continuation lines"),
    ("first paragraph\n\nsecond paragraph", "first paragraph\nsecond paragraph"),
    ("question\n   - sub one\n   - sub two", "question\n    • sub one\n    • sub two"),
    ("question\n  - sub\n    - deeper\n  - back", "question\n    • sub\n        • deeper\n    • back"),
    ("question\n   * star\n   + plus", "question\n    • star\n    • plus"),
    ("question\n   1. one\n   1. two\n   1. three", "question\n    1. one\n    2. two\n    3. three"),
    ("steps\n   1. a\n      1. a1\n      1. a2\n   1. b", "steps\n    1. a\n        1. a1\n        2. a2\n    2. b"),
    ("mixed\n   1. a\n   - b\n   1. c", "mixed\n    1. a\n    • b\n    1. c"),
    ("- top\n- level", "• top\n• level"),
    ("question\n   - sub that\n     wraps", "question\n    • sub that wraps"),
    ("question\n   - sub\n\n     more of sub", "question\n    • sub more of sub"),
    ("question\n   - sub\n\nnew paragraph", "question\n    • sub\nnew paragraph"),
    ("question\n   \n\t\n   - sub", "question\n    • sub"),
    ("## A heading", "*A heading*"),
    ("  spaced out  ", "spaced out"),
    ("", ""),
]


@pytest.mark.parametrize(("markdown", "expected"), CASES)
def test_markdown_to_mrkdwn(markdown: str, expected: str) -> None:
    assert markdown_to_mrkdwn(markdown) == expected


def test_escape_mrkdwn_escapes_ampersand_first() -> None:
    assert escape_mrkdwn("&lt;") == "&amp;lt;"


@pytest.mark.parametrize(
    ("target", "label", "expected"),
    [
        ("chapter_collab", None, 'chapter 8, "Collaborative Filtering Deep Dive"'),  # the book's own chapters
        ("chapter_CAM", None, 'chapter 18, "CNN Interpretation with CAM"'),
        ("chapter_appendix_jupyter", None, 'the chapter "appendix jupyter"'),
        ("table_results", None, 'the table "results"'),
        ("chapter_intro", "Chapter 1", "Chapter 1"),
        ("glossary", None, '"glossary"'),
    ],
)
def test_describe_xref(target: str, label: str | None, expected: str) -> None:
    assert describe_xref(target, label) == expected


# Slack reads every `<...>` as a control sequence and every `&` as the start of
# an entity, so whatever the input, the only raw `<`/`>` left must be our own
# links and the only `&` our own escapes.
_OUR_LINK = re.compile(r"<(?:https?|ftp|mailto):[^<>|\s]*(?:\|[^<>]*)?>")
_OUR_ENTITY = re.compile(r"&(?:amp|lt|gt);")
_MARKDOWNISH = st.lists(
    st.sampled_from(list("ab c_*`[]()<>&;!#-|\\\n") + ["https://x.org", "<<chapter_x>>", "&amp;", "](", "   - "]),
    max_size=40,
).map("".join)


@settings(max_examples=300, derandomize=True)
@given(_MARKDOWNISH)
def test_output_is_always_safe_for_slack(markdown: str) -> None:
    rendered = markdown_to_mrkdwn(markdown)
    without_links = _OUR_LINK.sub("", rendered)
    assert "<" not in without_links and ">" not in without_links
    assert "&" not in _OUR_ENTITY.sub("", rendered)


_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)


@settings(max_examples=100, derandomize=True)
@given(st.lists(_WORD, min_size=1, max_size=10), st.text(alphabet="abc_*[]()#.+ ", min_size=1, max_size=12))
def test_inline_code_is_kept_verbatim(words: list[str], code: str) -> None:
    code = code.strip() or "x"
    sentence = " ".join(words)
    assert markdown_to_mrkdwn(f"{sentence} `{code}` {sentence}") == f"{sentence} `{code}` {sentence}"


@settings(max_examples=100, derandomize=True)
@given(st.lists(st.lists(_WORD, min_size=1, max_size=6), min_size=1, max_size=6))
def test_wrapped_lines_join_into_one_line(lines: list[list[str]]) -> None:
    wrapped = "\n".join(" ".join(line) for line in lines)
    assert markdown_to_mrkdwn(wrapped) == " ".join(" ".join(line) for line in lines)
