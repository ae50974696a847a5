"""Convert the small Markdown dialect of the fastbook notebooks to Slack mrkdwn.

Slack's mrkdwn is not Markdown: bold is `*x*`, italics `_x_`, links
`<url|label>`, and `&`, `<`, `>` must be escaped because Slack reads
`<...>` as a control sequence. This is not a full CommonMark renderer; it
covers what questionnaire items actually contain: paragraphs with
continuation lines, nested bullet lists, inline code, links, emphasis, HTML
entities, backslash escapes and AsciiDoc cross-references (`<<id>>`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from functools import cache

from bot.blocks import defuse_mentions, escape_mrkdwn
from bot.syllabus.fastbook import BookChapter, default_syllabus

BULLET = "•"
INDENT = "    "

_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.*?)(?:[ \t]+#+)?[ \t]*$")
_LIST_ITEM = re.compile(r"^(?:[-*+]|(?P<ordered>\d{1,9}[.)]))(?:[ \t]+(?P<text>.*))?$")

_INLINE_TOKEN = re.compile(
    r"""
      (?P<code>(?<!`)(?P<ticks>`+)(?!`)(?P<code_body>.+?)(?<!`)(?P=ticks)(?!`))
    | (?P<escape>\\(?P<escaped>[!-/:-@\[-`{-~]))
    | (?P<entity>&(?:\#[0-9]{1,7}|\#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});)
    | (?P<xref><<(?P<xref_id>[\w:.-]+)(?:[ \t]*,[ \t]*(?P<xref_label>[^<>]+?))?[ \t]*>>)
    | (?P<autolink><(?P<auto_url>(?:https?|ftp|mailto):[^\s<>]+)>)
    | (?P<link>!?\[(?P<label>(?:[^\[\]]|\[[^\[\]]*\])*)\]
        \([ \t]*(?P<url>(?:[^()\s]|\([^()\s]*\))*)(?:[ \t]+"[^"]*")?[ \t]*\))
    """,
    re.VERBOSE,
)
# The delimiters must touch word boundaries, as Slack also requires, so
# arithmetic such as `2*3*4` or `a__b__c` is left alone.
_STRONG_EMPHASIS = re.compile(r"(?<![\w*])\*\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*\*(?![\w*])")
_EMPHASIS_STAR = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")
_BOLD_STARS = re.compile(r"(?<![\w*])\*\*(?=[^\s*])(.+?)(?<=[^\s*])\*\*(?![\w*])")
_BOLD_UNDERSCORES = re.compile(r"(?<![\w_])__(?=[^\s_])(.+?)(?<=[^\s_])__(?![\w_])")
_PLACEHOLDER = re.compile("\x00([0-9]+)\x00")
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

_XREF_KINDS = {
    "chapter": "chapter",
    "ch": "chapter",
    "sec": "section",
    "section": "section",
    "fig": "figure",
    "figure": "figure",
    "img": "figure",
    "table": "table",
    "appendix": "appendix",
}


def markdown_to_mrkdwn(text: str) -> str:
    """Render a Markdown snippet (one questionnaire item, say) as Slack mrkdwn.

    Consecutive lines of a paragraph are joined with a space; a blank line
    starts a new line; list items become `• item` lines (`1.`, `2.` ... for
    ordered lists, numbered by position) indented four spaces per nesting
    level below the surrounding paragraph. A typed `@channel`, `@here` or `@everyone` is defused as
    members' text is: questions are posted to whole channels.
    """
    return defuse_mentions("\n".join(_render_block(block) for block in _parse_blocks(text)).strip())


@dataclass
class _Block:
    kind: str  # "paragraph", "item" or "heading"
    indent: int
    depth: int
    parts: list[str] = field(default_factory=list)
    marker: str = BULLET


def _parse_blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    lists = _ListNesting()
    after_blank = False
    for raw in text.replace("\x00", "").expandtabs(4).splitlines():
        line = raw.strip()
        if not line:
            after_blank = True
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        heading = _HEADING.match(raw)
        item = _LIST_ITEM.match(line)
        if heading:
            lists.close_all()
            blocks.append(_Block("heading", indent, 0, [heading["text"]]))
        elif item:
            depth, marker = lists.place_item(indent, ordered=bool(item["ordered"]))
            blocks.append(_Block("item", indent, depth, [item["text"] or ""], marker))
        elif blocks and _continues(blocks[-1], indent, after_blank):
            blocks[-1].parts.append(line)
        else:
            lists.close_all()
            blocks.append(_Block("paragraph", indent, 0, [line]))
        after_blank = False
    return blocks


class _ListNesting:
    """The lists open at a point in the text, keyed by their indentation.

    Depth counts levels indented past the margin, so a sub-list written under
    a paragraph (`   - x`) is one level deep while a list starting at the
    margin is at depth zero. Ordered items are numbered by position because
    Markdown sources write every item as `1.`.
    """

    def __init__(self) -> None:
        self._indents: list[int] = []
        self._ordered_counts: dict[int, int] = {}

    def close_all(self) -> None:
        self._indents.clear()
        self._ordered_counts.clear()

    def place_item(self, indent: int, *, ordered: bool) -> tuple[int, str]:
        """The depth and marker (`•`, or `1.`, `2.` ...) for an item at this indentation."""
        while self._indents and self._indents[-1] > indent:
            self._indents.pop()
        if not self._indents or self._indents[-1] < indent:
            self._indents.append(indent)
        depth = sum(1 for width in self._indents if width > 0)
        for deeper in [d for d in self._ordered_counts if d > depth]:
            del self._ordered_counts[deeper]
        if not ordered:
            self._ordered_counts.pop(depth, None)
            return depth, BULLET
        self._ordered_counts[depth] = self._ordered_counts.get(depth, 0) + 1
        return depth, f"{self._ordered_counts[depth]}."


def _continues(block: _Block, indent: int, after_blank: bool) -> bool:
    if block.kind == "heading":
        return False
    if not after_blank:
        return True
    # After a blank line only text indented under a list item still belongs to it.
    return block.kind == "item" and indent > block.indent


def _render_block(block: _Block) -> str:
    text = render_inline(" ".join(part for part in block.parts if part))
    if block.kind == "heading":
        return f"*{text}*" if text else ""
    if block.kind == "item":
        return f"{INDENT * block.depth}{block.marker} {text}".rstrip()
    return text


def render_inline(text: str) -> str:
    """Convert inline Markdown on one logical line and escape it for Slack."""
    protected: list[str] = []

    def protect(rendered: str) -> str:
        protected.append(rendered)
        return f"\x00{len(protected) - 1}\x00"

    text = _INLINE_TOKEN.sub(lambda m: protect(_render_token(m)), text.replace("\x00", ""))
    text = _STRONG_EMPHASIS.sub(lambda m: protect(f"*_{escape_mrkdwn(m[1])}_*"), text)
    # Single-star emphasis first, so the `*bold*` produced next is not re-read as emphasis.
    text = _EMPHASIS_STAR.sub(r"_\1_", text)
    text = _BOLD_STARS.sub(r"*\1*", text)
    text = _BOLD_UNDERSCORES.sub(r"*\1*", text)
    text = escape_mrkdwn(text)
    return _PLACEHOLDER.sub(lambda m: protected[int(m[1])], text)


def _render_token(match: re.Match[str]) -> str:
    if match["code"]:
        # No formatting inside code, but Slack still decodes entities there.
        return f"{match['ticks']}{escape_mrkdwn(match['code_body'])}{match['ticks']}"
    if match["escape"]:
        return escape_mrkdwn(match["escaped"])
    if match["entity"]:
        return escape_mrkdwn(html.unescape(match["entity"]))
    if match["xref"]:
        return escape_mrkdwn(describe_xref(match["xref_id"], match["xref_label"]))
    if match["autolink"]:
        return f"<{_escape_url(match['auto_url'])}>"
    return _render_link(match["label"], match["url"])


def _render_link(label: str, url: str) -> str:
    rendered_label = render_inline(label.strip())
    if not _HAS_SCHEME.match(url):
        # Relative links (other notebooks, #anchors) lead nowhere from Slack.
        return rendered_label
    if not rendered_label:
        return f"<{_escape_url(url)}>"
    return f"<{_escape_url(url)}|{rendered_label}>"


def _escape_url(url: str) -> str:
    return url.replace("&", "&amp;").replace("<", "%3C").replace(">", "%3E").replace("|", "%7C")


def describe_xref(target: str, label: str | None = None) -> str:
    """Readable text for an AsciiDoc cross-reference such as `<<chapter_mnist_basics>>`.

    The book's build turns these into "Chapter 4"; we name the book's chapters the
    same way (`chapter 4, "Under the Hood: Training a Digit Classifier"`) and spell
    out any other target: `the figure "bear softmax"`. An explicit label
    (`<<id, label>>`, which the importer writes for figures it finds) wins.
    """
    if label:
        return label.strip()
    kind, _, rest = target.partition("_")
    chapter = _book_chapters().get(rest.lower()) if _XREF_KINDS.get(kind.lower()) == "chapter" else None
    if chapter is not None:
        return f'chapter {chapter.number}, "{chapter.title}"'
    if rest and kind.lower() in _XREF_KINDS:
        return f'the {_XREF_KINDS[kind.lower()]} "{_words(rest)}"'
    return f'"{_words(target)}"'


@cache
def _book_chapters() -> dict[str, BookChapter]:
    """The book's chapter anchors by name: `chapter_mnist_basics` is 04_mnist_basics.ipynb."""
    return {chapter.notebook.removesuffix(".ipynb").partition("_")[2].lower(): chapter
            for chapter in default_syllabus()}


def _words(identifier: str) -> str:
    return " ".join(re.split(r"[_\-:.]+", identifier)).strip()
