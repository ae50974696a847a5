from __future__ import annotations

import random
import re
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.blocks import MAX_HEADER_TEXT, MAX_MESSAGE_BLOCKS, MAX_SECTION_TEXT, MAX_VIEW_BLOCKS
from bot.share.form import validate_share_form
from bot.share.posts import SharedPost
from bot.share.ranking import build_digest, rank_posts
from bot.share.views import (
    CHAPTER_BLOCK,
    LINK_BLOCK,
    MAX_FOLLOW_UPS,
    NOTES_BLOCK,
    POSTS_PER_FOLLOW_UP,
    SHARE_ACTION_IDS,
    TITLE_BLOCK,
    TOP_POSTS_IN_MAIN,
    read_share_modal_values,
    render_digest,
    render_share_modal,
    render_shared_post,
)

TOKEN = re.compile(r"<[^<>]*>")
PERMALINK = re.compile(r"<https://study\.slack\.com/archives/C1/p(\d+)\|open>")
MORE = re.compile(r"…and ([\d,]+) more posts?")
FASTBOOK = [(1, "Your Deep Learning Journey"), (2, "From Model to Production"),
            (4, "Under the Hood: Training a Digit Classifier")]


def texts_of(payload: dict[str, Any]) -> list[str]:
    out: list[str] = []
    for block in payload["blocks"]:
        if "text" in block:
            out.append(block["text"]["text"])
        out.extend(element["text"] for element in block.get("elements", []))
    return out


def assert_valid(payload: dict[str, Any]) -> None:
    assert isinstance(payload["text"], str) and payload["text"].strip()
    assert 0 < len(payload["blocks"]) <= MAX_MESSAGE_BLOCKS
    for block in payload["blocks"]:
        if block["type"] == "header":
            assert 0 < len(block["text"]["text"]) <= MAX_HEADER_TEXT
        if block["type"] == "section":
            assert 0 < len(block["text"]["text"]) <= MAX_SECTION_TEXT
        if block["type"] == "context":
            assert 0 < len(block["elements"]) <= 10
    for text in [payload["text"], *texts_of(payload)]:
        leftover = TOKEN.sub("", text)
        assert "<" not in leftover and ">" not in leftover, text
        for token in TOKEN.findall(text):
            assert token[1] in "@#!" or token.startswith("<http"), token


def make_posts(n: int, seed: int = 7, long_text: bool = False) -> list[SharedPost]:
    rnd = random.Random(seed)
    people = [f"U{i:08d}" for i in range(300)]
    posts = []
    for i in range(n):
        words = " ".join(rnd.choice(["fastai", "bears", "<@U00000001>", "<https://fast.ai/x|a link>", "&amp;", "SGD"])
                         for _ in range(80 if long_text else 8))
        posts.append(
            SharedPost(
                ts=f"{1_700_000_000 + i}.{rnd.randrange(1_000_000):06d}",
                user_id=rnd.choice(people),
                text=words,
                permalink=f"https://study.slack.com/archives/C1/p{i}",
                reply_user_ids=tuple(rnd.choice(people) for _ in range(rnd.randrange(6))),
                reactions={"tada": frozenset(rnd.sample(people, rnd.randrange(8)))},
                deleted=rnd.random() < 0.02,
            )
        )
    return posts


def shown_post_ids(messages: list[dict[str, Any]]) -> list[int]:
    return [int(match) for payload in messages for text in texts_of(payload) for match in PERMALINK.findall(text)]


def more_count(messages: list[dict[str, Any]]) -> int:
    counts = [int(m.replace(",", "")) for payload in messages for text in texts_of(payload) for m in MORE.findall(text)]
    assert len(counts) <= 1
    return counts[0] if counts else 0


# --- digest ---------------------------------------------------------------------------


def test_quiet_week_is_one_friendly_message() -> None:
    messages = render_digest(build_digest(3, [], set()), "fastai book club")
    assert len(messages) == 1
    assert_valid(messages[0])
    assert messages[0]["blocks"][0]["text"]["text"] == "Share your work — week 3"
    assert "No posts this week" in messages[0]["blocks"][1]["text"]["text"]


def test_a_week_of_only_deleted_posts_is_quiet() -> None:
    gone = SharedPost(ts="1.000001", user_id="U1", text="oops", deleted=True)
    messages = render_digest(build_digest(2, [gone], set()), "club")
    assert len(messages) == 1 and "No posts this week" in str(messages[0])


def test_one_post_shows_rank_author_title_link_and_engagement() -> None:
    p = SharedPost(
        ts="1700000000.000001",
        user_id="UAUTHOR",
        text="My bear classifier\nmore",
        permalink="https://study.slack.com/archives/C1/p1",
        reply_user_ids=("UA", "UA", "UB"),
        reactions={"tada": frozenset({"UA", "UC"}), "fire": frozenset({"UC"})},
    )
    messages = render_digest(build_digest(1, [p], set()), "fastai & friends")
    assert len(messages) == 1
    assert_valid(messages[0])
    body = "\n".join(texts_of(messages[0]))
    assert "*1 post* from *1 person* in fastai &amp; friends" in body
    assert "*1.* My bear classifier · by <@UAUTHOR> · <https://study.slack.com/archives/C1/p1|open>" in body
    assert "_3 people · 3 reactions · 3 replies_" in body
    assert "first-time sharers: <@UAUTHOR>!" in body
    assert "thread" not in body


def test_no_welcome_when_nobody_is_new() -> None:
    p = SharedPost(ts="1.000001", user_id="UOLD", text="again")
    body = str(render_digest(build_digest(5, [p], {"UOLD"}), "club"))
    assert "welcome" not in body.lower()


def test_welcome_names_a_bounded_number_of_first_timers() -> None:
    posts = [SharedPost(ts=f"{i + 1}.000001", user_id=f"U{i:06d}", text="hi") for i in range(1000)]
    main = render_digest(build_digest(1, posts, set()), "club")[0]
    assert_valid(main)
    welcome = next(t for t in texts_of(main) if "first-time sharers" in t)
    assert welcome.count("<@") == 40
    assert "and 960 others!" in welcome
    assert "<@U000000>" in welcome  # earliest first


def test_500_posts_fit_slack_limits_and_each_appears_exactly_once_in_rank_order() -> None:
    posts = make_posts(500)
    digest = build_digest(7, posts, set())
    messages = render_digest(digest, "fastai book club")
    for payload in messages:
        assert_valid(payload)
    shown = shown_post_ids(messages)
    assert shown == [int(p.permalink.rsplit("p", 1)[1]) for p in rank_posts(posts)]  # type: ignore[union-attr]
    assert len(set(shown)) == len(shown) == digest.post_count
    assert more_count(messages) == 0
    expected_follow_ups = -(-(digest.post_count - TOP_POSTS_IN_MAIN) // POSTS_PER_FOLLOW_UP)
    assert len(messages) == 1 + expected_follow_ups
    assert len(shown_post_ids(messages[:1])) == TOP_POSTS_IN_MAIN


def test_10000_posts_are_capped_with_an_and_n_more_line() -> None:
    posts = make_posts(10_000, seed=3)
    digest = build_digest(9, posts, set())
    messages = render_digest(digest, "club")
    assert len(messages) == 1 + MAX_FOLLOW_UPS
    for payload in messages:
        assert_valid(payload)
    shown = shown_post_ids(messages)
    assert len(set(shown)) == len(shown) == TOP_POSTS_IN_MAIN + MAX_FOLLOW_UPS * POSTS_PER_FOLLOW_UP
    assert len(shown) + more_count(messages) == digest.post_count
    assert MORE.search(texts_of(messages[-1])[-1])


def test_long_posts_full_of_links_are_packed_without_breaking_them() -> None:
    posts = make_posts(120, long_text=True)
    messages = render_digest(build_digest(2, posts, set()), "club")
    for payload in messages:
        assert_valid(payload)
    assert len(shown_post_ids(messages)) == sum(not p.deleted for p in posts)


def test_an_absurd_permalink_is_dropped_not_allowed_to_break_limits() -> None:
    p = SharedPost(ts="1.000001", user_id="U1", text="hi", permalink="https://x.com/?" + "&" * 2000)
    payload = render_digest(build_digest(1, [p], set()), "club")[0]
    assert_valid(payload)
    assert "|open>" not in str(payload)


POST_TEXT = st.lists(
    st.sampled_from(["word", "<@U0ABC>", "<https://example.com/some/long/path|label here>", "&lt;", "\n", "x" * 90]),
    max_size=30,
).map(" ".join)


@settings(max_examples=25, derandomize=True, deadline=None)
@given(st.lists(st.tuples(POST_TEXT, st.integers(0, 12), st.booleans()), max_size=90), st.text(max_size=300))
def test_any_digest_renders_valid_messages_covering_every_post(specs, cohort: str) -> None:  # type: ignore[no-untyped-def]
    posts = [
        SharedPost(
            ts=f"{1000 + i}.000001",
            user_id=f"U{i % 13}",
            text=text,
            permalink=f"https://study.slack.com/archives/C1/p{i}",
            reactions={"tada": frozenset(f"UR{j}" for j in range(n))},
            deleted=deleted,
        )
        for i, (text, n, deleted) in enumerate(specs)
    ]
    digest = build_digest(1, posts, {"U1", "U2"})
    messages = render_digest(digest, cohort)
    for payload in messages:
        assert_valid(payload)
    shown = shown_post_ids(messages)
    assert sorted(shown) == sorted(i for i, (_, _, deleted) in enumerate(specs) if not deleted)


# --- modal ------------------------------------------------------------------------------


def input_blocks(view: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {block["block_id"]: block for block in view["blocks"] if block["type"] == "input"}


def test_modal_has_stable_block_and_action_ids() -> None:
    view = render_share_modal(FASTBOOK, private_metadata='{"cohort": 3}')
    assert view["type"] == "modal"
    assert view["callback_id"] == "share_submit"
    assert view["private_metadata"] == '{"cohort": 3}'
    assert len(view["title"]["text"]) <= 24 and len(view["blocks"]) <= MAX_VIEW_BLOCKS
    blocks = input_blocks(view)
    assert list(blocks) == [TITLE_BLOCK, LINK_BLOCK, NOTES_BLOCK, CHAPTER_BLOCK]
    assert {block_id: block["element"]["action_id"] for block_id, block in blocks.items()} == dict(SHARE_ACTION_IDS)
    assert blocks[NOTES_BLOCK]["element"]["multiline"] is True
    assert blocks[NOTES_BLOCK]["optional"] and blocks[CHAPTER_BLOCK]["optional"]
    assert not blocks[TITLE_BLOCK]["optional"] and blocks[LINK_BLOCK]["optional"]  # a question needs no link
    chapter = blocks[CHAPTER_BLOCK]["element"]
    assert chapter["type"] == "static_select"
    assert [option["value"] for option in chapter["options"]] == ["1", "2", "4"]
    assert "initial_option" not in chapter and "initial_value" not in blocks[TITLE_BLOCK]["element"]


def test_modal_is_prefilled_from_values() -> None:
    prefill = {TITLE_BLOCK: "Bears", LINK_BLOCK: "not a link yet", NOTES_BLOCK: "notes", CHAPTER_BLOCK: "4"}
    view = render_share_modal(FASTBOOK, prefill, callback_id="share_edit")
    blocks = input_blocks(view)
    assert view["callback_id"] == "share_edit"
    assert blocks[TITLE_BLOCK]["element"]["initial_value"] == "Bears"
    assert blocks[LINK_BLOCK]["element"]["initial_value"] == "not a link yet"
    chapter = blocks[CHAPTER_BLOCK]["element"]
    assert chapter["initial_option"] in chapter["options"] and chapter["initial_option"]["value"] == "4"


def test_modal_option_text_fits_and_unknown_chapter_is_not_preselected() -> None:
    view = render_share_modal([(1, "x" * 200)], {CHAPTER_BLOCK: "9"})
    element = input_blocks(view)[CHAPTER_BLOCK]["element"]
    assert len(element["options"][0]["text"]["text"]) <= 75
    assert "initial_option" not in element


def test_modal_without_chapters_has_no_chapter_picker() -> None:
    assert CHAPTER_BLOCK not in input_blocks(render_share_modal([]))


def test_modal_refuses_oversized_metadata_or_too_many_chapters() -> None:
    with pytest.raises(ValueError):
        render_share_modal(FASTBOOK, private_metadata="x" * 3001)
    with pytest.raises(ValueError):
        render_share_modal([(i, f"c{i}") for i in range(101)])


def test_submitted_state_round_trips_into_the_validator() -> None:
    state = {
        TITLE_BLOCK: {SHARE_ACTION_IDS[TITLE_BLOCK]: {"type": "plain_text_input", "value": "Bears"}},
        LINK_BLOCK: {SHARE_ACTION_IDS[LINK_BLOCK]: {"type": "plain_text_input", "value": "https://bears.example.com"}},
        NOTES_BLOCK: {SHARE_ACTION_IDS[NOTES_BLOCK]: {"type": "plain_text_input", "value": None}},
        CHAPTER_BLOCK: {SHARE_ACTION_IDS[CHAPTER_BLOCK]: {"type": "static_select", "selected_option": {"value": "2"}}},
    }
    values = read_share_modal_values(state)
    assert values == {TITLE_BLOCK: "Bears", LINK_BLOCK: "https://bears.example.com", NOTES_BLOCK: "",
                      CHAPTER_BLOCK: "2"}
    form, errors = validate_share_form(values, [number for number, _ in FASTBOOK])
    assert errors == {} and form is not None and form.chapter == 2
    unselected = {**state,
                  CHAPTER_BLOCK: {SHARE_ACTION_IDS[CHAPTER_BLOCK]: {"type": "static_select", "selected_option": None}}}
    assert read_share_modal_values(unselected)[CHAPTER_BLOCK] == ""


# --- shared post -----------------------------------------------------------------------


def test_shared_post_links_the_escaped_title_and_credits_the_author() -> None:
    payload = render_shared_post("Bears & <friends>", "https://x.com/a?b=1&c=2", "I learned *lots*",
                                 "4. Under the Hood", "U123")
    assert_valid(payload)
    texts = texts_of(payload)
    assert texts[0] == "*<https://x.com/a?b=1&amp;c=2|Bears &amp; &lt;friends&gt;>*"
    assert texts[1] == "I learned *lots*"
    assert texts[-1] == "Shared by <@U123> · 📖 4. Under the Hood"
    assert "<@U123>" in payload["text"]


def test_shared_post_without_a_link_shows_the_escaped_title() -> None:
    payload = render_shared_post("Stuck on <splitters>", "", "why?", None, "U1")
    assert payload["blocks"][0]["text"]["text"] == "*Stuck on &lt;splitters&gt;*"
    assert "accessory" not in payload["blocks"][0]


def test_shared_post_without_notes_or_chapter() -> None:
    payload = render_shared_post("Bears", "https://x.com", "  ", None, "U1")
    assert_valid(payload)
    assert len(payload["blocks"]) == 2 and texts_of(payload)[-1] == "Shared by <@U1>"


def test_shared_post_notes_that_escape_past_the_limit_are_split_safely() -> None:
    payload = render_shared_post("Bears", "https://x.com", "<@U1> & " * 250, None, "U1")
    assert_valid(payload)
    notes = texts_of(payload)[1:-1]
    assert len(notes) > 1
    assert "<@U1>" not in "".join(notes)  # member text can't mention people
    assert all(re.fullmatch(r"(&(amp|lt|gt);|[^&])*", chunk) for chunk in notes)


def test_shared_post_with_a_huge_link_uses_a_button() -> None:
    url = "https://x.com/?" + "&a=1" * 700
    payload = render_shared_post("Bears", url, "", None, "U1")
    assert_valid(payload)
    assert payload["blocks"][0]["accessory"]["url"] == url


@pytest.mark.parametrize("link_url", ["https://x.com", ""])
def test_a_typed_here_or_channel_in_a_shared_post_notifies_nobody(link_url: str) -> None:
    payload = render_shared_post("Ping @here", link_url, "see @channel and @everyone", "@here chapter", "U1")
    assert_valid(payload)
    shown = "\n".join(texts_of(payload)) + payload["text"]
    assert not re.search(r"(?<!\u200b)@(here|channel|everyone)", shown.replace("@\u200b", "\u200b"))
    assert "here" in texts_of(payload)[0] and "channel" in texts_of(payload)[1]  # still reads the same
