"""Messages and views for share-your-work: the weekly digest, the share modal, a shared post.

This module owns the share modal's ids (callback, block and action ids) and the
readers of its submitted state and metadata. The digest must stay inside
Slack's limits at any volume, so post lines are atomic units packed whole into
sections, sections into messages, and the overflow goes to thread replies.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.blocks import (
    MAX_MESSAGE_BLOCKS,
    MAX_OPTION_TEXT,
    MAX_PRIVATE_METADATA,
    MAX_SECTION_TEXT,
    MAX_SELECT_OPTIONS,
    MAX_URL,
    Block,
    button,
    context,
    counted,
    defuse_mentions,
    divider,
    escape_mrkdwn,
    header,
    link,
    mention,
    message,
    pack_lines,
    plain_text,
    quote_member_text,
    section,
    shorten_plain,
    split_mrkdwn,
)
from bot.share.posts import SharedPost
from bot.share.ranking import Digest, Engagement, engagement_of, title_of

TOP_POSTS_IN_MAIN = 10
POSTS_PER_FOLLOW_UP = 50
MAX_FOLLOW_UPS = 20
MAX_WELCOME_MENTIONS = 40
MAX_PERMALINK_CHARS = 500
MAX_COHORT_NAME_CHARS = 80
MAX_CHAPTER_LABEL_CHARS = 200

SHARE_CALLBACK_ID = "share_submit"
TITLE_BLOCK = "share_title"
LINK_BLOCK = "share_link"
NOTES_BLOCK = "share_notes"
CHAPTER_BLOCK = "share_chapter"
OPEN_LINK_ACTION = "share_open_link"

SHARE_ACTION_IDS: Mapping[str, str] = {
    TITLE_BLOCK: "share_title_input",
    LINK_BLOCK: "share_link_input",
    NOTES_BLOCK: "share_notes_input",
    CHAPTER_BLOCK: "share_chapter_select",
}

Message = dict[str, Any]

# Slack user ids are short upper-case alphanumerics (U…, W…); anything else is not mentioned.
_USER_ID = re.compile(r"[A-Z0-9]{1,32}")


# --- weekly digest -----------------------------------------------------------


def render_digest(digest: Digest, cohort_name: str) -> list[Message]:
    """The digest as messages: the first is the main post, the rest go in its thread.

    The main post holds the summary, the first-timer welcome and the top
    posts; up to 20 thread replies list 50 more posts each, and the last one
    ends with "…and N more posts" when even that is not enough.
    """
    cohort = escape_mrkdwn(shorten_plain(cohort_name.strip() or "the group", MAX_COHORT_NAME_CHARS))
    title = f"Share your work — week {digest.week}"
    if not digest.ranked:
        return [_quiet_week(title, cohort)]

    top = digest.ranked[:TOP_POSTS_IN_MAIN]
    rest = digest.ranked[TOP_POSTS_IN_MAIN:]
    messages = [_main_message(digest, title, cohort, top, more=len(rest))]
    shown = len(top)
    for start in range(0, len(rest), POSTS_PER_FOLLOW_UP):
        if len(messages) - 1 == MAX_FOLLOW_UPS:
            break
        chunk = rest[start : start + POSTS_PER_FOLLOW_UP]
        first_rank = shown + 1
        shown += len(chunk)
        remaining = len(digest.ranked) - shown
        is_last = len(messages) == MAX_FOLLOW_UPS or remaining == 0
        messages.append(_follow_up(digest, chunk, first_rank, not_shown=remaining if is_last else 0))
    return messages


def engagement_summary(engagement: Engagement) -> str:
    """A summary like ``5 people · 7 reactions · 3 replies``; zero counts are left out,
    so it is empty when nobody engaged yet."""
    parts = [
        _count(engagement.people, "person", "people"),
        _count(engagement.reactions, "reaction", "reactions"),
        _count(engagement.replies, "reply", "replies"),
    ]
    return " · ".join(part for part in parts if part)


def post_line(rank: int, post: SharedPost, names: Mapping[str, str] | None = None) -> str:
    """One ranked post as a single mrkdwn line; it is always kept whole."""
    author = mention(post.user_id) if _USER_ID.fullmatch(post.user_id) else "a member"
    parts = [f"*{rank}.* {title_of(post, names=names)}", f"by {author}"]
    if post.permalink:
        open_link = link(post.permalink, "open")
        # An absurd permalink is dropped rather than allowed to push the line past Slack's limit.
        if len(open_link) <= MAX_PERMALINK_CHARS:
            parts.append(open_link)
    summary = engagement_summary(engagement_of(post))
    if summary:
        parts.append(f"_{summary}_")
    return " · ".join(parts)


def _quiet_week(title: str, cohort: str) -> Message:
    text = (
        f"No posts this week in {cohort} — and that's fine. "
        "Share anything, however small: a notebook, a question, a half-working experiment. 🌱"
    )
    return message(f"{title}: no posts this week", [header(title), section(text)])


def _main_message(digest: Digest, title: str, cohort: str, top: Sequence[SharedPost], more: int) -> Message:
    posts = _count(digest.post_count, "post", "posts")
    people = _count(digest.sharer_count, "person", "people")
    blocks: list[Block] = [
        header(title),
        section(f"*{posts}* from *{people}* in {cohort} this week. Thank you for sharing! 🙌"),
    ]
    if digest.first_timers:
        blocks.append(section(_welcome(digest.first_timers)))
    blocks.append(divider())
    lines = ["*Top posts this week*"] + [post_line(rank, post, digest.names) for rank, post in enumerate(top, start=1)]
    blocks.extend(section(chunk) for chunk in pack_lines(lines))
    if more:
        blocks.append(context(f"🧵 {_count(more, 'more post', 'more posts')} in the thread below."))
    return message(f"{title}: {posts} from {people}", blocks)


def _welcome(first_timers: Sequence[str]) -> str:
    """Welcome first-time sharers by name, up to a bound that keeps the section well inside Slack's limit."""
    prefix = "🎉 A special welcome to our first-time sharers: "
    budget = MAX_SECTION_TEXT - 200
    named: list[str] = []
    for user_id in first_timers[:MAX_WELCOME_MENTIONS]:
        token = mention(user_id)
        if len(prefix) + sum(len(m) + 2 for m in named) + len(token) > budget:
            break
        named.append(token)
    others = len(first_timers) - len(named)
    text = prefix + ", ".join(named)
    if others:
        text += f" and {_count(others, 'other', 'others')}"
    return text + "! Thank you for putting your work out there."


def _follow_up(digest: Digest, chunk: Sequence[SharedPost], first_rank: int, not_shown: int) -> Message:
    last_rank = first_rank + len(chunk) - 1
    heading = f"*More posts from week {digest.week}* ({first_rank}–{last_rank} of {digest.post_count:,})"
    lines = [heading] + [post_line(rank, post, digest.names) for rank, post in enumerate(chunk, start=first_rank)]
    blocks: list[Block] = [section(text) for text in pack_lines(lines)]
    if not_shown:
        blocks.append(context(f"…and {_count(not_shown, 'more post', 'more posts')} this week. Thank you all!"))
    if len(blocks) > MAX_MESSAGE_BLOCKS:  # unreachable with bounded post lines; fail loudly, not at Slack
        raise ValueError("follow-up message would exceed Slack's block limit")
    fallback = f"Share your work — week {digest.week}: posts {first_rank}–{last_rank} of {digest.post_count:,}"
    return message(fallback, blocks)


def _count(n: int, singular: str, plural: str) -> str:
    if n == 0:
        return ""
    return counted(n, singular, plural)


# --- share modal ---------------------------------------------------------------


def render_share_modal(
    chapters: Sequence[tuple[int, str]],
    values: Mapping[str, str] | None = None,
    callback_id: str = SHARE_CALLBACK_ID,
    private_metadata: str = "",
) -> dict[str, Any]:
    """The share-your-work modal, pre-filled from ``values`` (keyed by block id) when given.

    No ``max_length`` is set on inputs: our validation explains limits in
    words, and pre-filled values can never make Slack reject the view.
    """
    if len(private_metadata) > MAX_PRIVATE_METADATA:
        raise ValueError(f"private_metadata is limited to {MAX_PRIVATE_METADATA} characters")
    values = values or {}
    blocks: list[Block] = [
        section("Show what you've been working on — a notebook, a blog post, an experiment, a question. "
                "Small things welcome!"),
        _text_input(TITLE_BLOCK, "Title", "e.g. My first bear classifier", values),
        _text_input(LINK_BLOCK, "Link", "https://…", values, optional=True,
                    hint="A notebook, repo, blog post, Kaggle kernel… — or none, if you're sharing a question."),
        _text_input(
            NOTES_BLOCK,
            "What you learned / what you'd like feedback on",
            "A sentence or two is plenty",
            values,
            multiline=True,
            optional=True,
        ),
    ]
    if chapters:
        blocks.append(_chapter_select(chapters, values.get(CHAPTER_BLOCK)))
    return {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain_text("Share your work"),
        "submit": plain_text("Share"),
        "close": plain_text("Cancel"),
        "private_metadata": private_metadata,
        "blocks": blocks,
    }


def read_share_modal_values(state_values: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> dict[str, str]:
    """Flatten ``view.state.values`` of the share modal into block id → string, the shape the validator takes."""
    flat: dict[str, str] = {}
    for block_id, action_id in SHARE_ACTION_IDS.items():
        element = state_values.get(block_id, {}).get(action_id) or {}
        if "selected_option" in element:
            option = element.get("selected_option") or {}
            flat[block_id] = option.get("value") or ""
        else:
            flat[block_id] = element.get("value") or ""
    return flat


def share_modal_metadata(cohort_id: int) -> str:
    """What the modal carries back on submission: which cohort it was opened for."""
    return json.dumps({"cohort_id": cohort_id})


def read_share_modal_cohort(private_metadata: str) -> int | None:
    """The cohort id the modal was opened for; None when the metadata is missing or not ours."""
    try:
        value = json.loads(private_metadata or "{}").get("cohort_id")
    except (ValueError, AttributeError):
        return None
    return value if isinstance(value, int) else None


def _text_input(
    block_id: str,
    label: str,
    placeholder: str,
    values: Mapping[str, str],
    *,
    multiline: bool = False,
    optional: bool = False,
    hint: str | None = None,
) -> Block:
    element: Block = {
        "type": "plain_text_input",
        "action_id": SHARE_ACTION_IDS[block_id],
        "placeholder": plain_text(placeholder),
    }
    if multiline:
        element["multiline"] = True
    if values.get(block_id):
        element["initial_value"] = values[block_id]
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain_text(label),
        "element": element,
        "optional": optional,
    }
    if hint:
        block["hint"] = plain_text(hint)
    return block


def _chapter_select(chapters: Sequence[tuple[int, str]], selected: str | None) -> Block:
    if len(chapters) > MAX_SELECT_OPTIONS:
        raise ValueError(f"a select menu holds at most {MAX_SELECT_OPTIONS} chapters, got {len(chapters)}")
    options = [
        {"text": plain_text(f"{number}. {label}", MAX_OPTION_TEXT), "value": str(number)}
        for number, label in chapters
    ]
    element: Block = {
        "type": "static_select",
        "action_id": SHARE_ACTION_IDS[CHAPTER_BLOCK],
        "placeholder": plain_text("Pick a chapter"),
        "options": options,
    }
    initial = next((option for option in options if option["value"] == (selected or "").strip()), None)
    if initial is not None:
        element["initial_option"] = initial
    return {
        "type": "input",
        "block_id": CHAPTER_BLOCK,
        "label": plain_text("Chapter"),
        "element": element,
        "optional": True,
    }


# --- a shared post -----------------------------------------------------------------


def render_shared_post(
    title: str,
    link_url: str,
    notes: str,
    chapter_label: str | None,
    user_id: str,
) -> Message:
    """The message the bot posts in the share channel for a submission.

    Title, notes and chapter label are plain text from the member and are
    escaped, so a stray ``<`` can't turn into a mention or a broken link.
    """
    title_text = defuse_mentions(title)  # link() escapes; defused first so a typed @here stays quiet
    heading = f"*{link(link_url, title_text)}*" if link_url else f"*{quote_member_text(title)}*"
    blocks: list[Block] = []
    if not link_url or len(heading) <= MAX_SECTION_TEXT:
        blocks.append(section(heading))
    else:
        block = section(f"*{quote_member_text(title)}*")
        if len(link_url) <= MAX_URL:
            block["accessory"] = button("Open link", OPEN_LINK_ACTION, url=link_url)
        blocks.append(block)
    if notes.strip():
        blocks.extend(section(chunk) for chunk in split_mrkdwn(quote_member_text(notes.strip())))
    byline = f"Shared by {mention(user_id)}"
    if chapter_label:
        byline += f" · 📖 {quote_member_text(shorten_plain(chapter_label, MAX_CHAPTER_LABEL_CHARS))}"
    blocks.append(context(byline))
    return message(f"“{quote_member_text(title)}” — shared by {mention(user_id)}", blocks)


def render_share_failed(reason: str, values: Mapping[str, str | None]) -> dict[str, Any]:
    """A DM when a share could not be posted after its modal closed: the reason, then what they wrote."""
    written = [f"*{label}:* {escape_mrkdwn(values.get(block) or '')}"
               for label, block in (("Title", TITLE_BLOCK), ("Link", LINK_BLOCK), ("Notes", NOTES_BLOCK))
               if values.get(block)]
    opener = f"I couldn't post what you shared: {escape_mrkdwn(reason)} Here is what you wrote, so nothing is lost:"
    blocks = [section(part) for part in split_mrkdwn("\n".join([opener, *written]))][:MAX_MESSAGE_BLOCKS]
    return message("I couldn't post what you shared; here is what you wrote.", blocks)
