from __future__ import annotations

import re
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.messages import ts_key
from bot.share.posts import SharedPost
from bot.share.ranking import (
    build_digest,
    engagement_of,
    engagement_score,
    rank_posts,
    title_of,
)

TOKEN = re.compile(r"<[^<>]*>")


def post(
    ts: str = "1700000000.000100",
    user: str = "UAUTHOR",
    *,
    text: str = "my work",
    title: str | None = None,
    reactions: dict[str, set[str]] | None = None,
    replies: tuple[str, ...] = (),
    deleted: bool = False,
    files: tuple[str, ...] = (),
    links: tuple[str, ...] = (),
) -> SharedPost:
    return SharedPost(
        ts=ts,
        user_id=user,
        text=text,
        title=title,
        links=links,
        files=files,
        reply_user_ids=replies,
        reactions={emoji: frozenset(users) for emoji, users in (reactions or {}).items()},
        deleted=deleted,
    )


# --- engagement and ranking ---------------------------------------------------


def test_score_follows_the_documented_formula() -> None:
    p = post(reactions={"tada": {"UA", "UB"}, "heart": {"UA"}}, replies=("UB", "UB", "UC"))
    engagement = engagement_of(p)
    assert (engagement.people, engagement.reactions, engagement.replies) == (3, 3, 3)
    assert engagement.score == 3 * 3.0 + 3 * 1.0 + 3 * 1.5


def test_one_persons_reactions_and_replies_are_capped() -> None:
    emoji = {f"e{i}": {"UFAN"} for i in range(10)}
    p = post(reactions=emoji, replies=("UFAN",) * 9)
    engagement = engagement_of(p)
    assert (engagement.people, engagement.reactions, engagement.replies) == (1, 10, 9)
    assert engagement.score == 3.0 + 3 * 1.0 + 4 * 1.5


def test_unique_people_outweigh_one_persons_many_reactions() -> None:
    one_fan = post("1.000001", "UA", reactions={f"e{i}": {"UFAN"} for i in range(25)})
    two_people = post("2.000001", "UB", reactions={"tada": {"UX", "UY"}})
    assert rank_posts([one_fan, two_people]) == [two_people, one_fan]


@settings(max_examples=50, derandomize=True)
@given(st.integers(1, 60))
def test_two_people_always_beat_one_person_reacting_many_times(times: int) -> None:
    one_fan = post(reactions={f"e{i}": {"UFAN"} for i in range(times)})
    two_people = post(reactions={"tada": {"UX", "UY"}})
    assert engagement_score(two_people) > engagement_score(one_fan)


def test_authors_own_reactions_and_replies_are_ignored() -> None:
    plain = post(reactions={"tada": {"UA"}}, replies=("UB",))
    self_boosted = post(
        reactions={"tada": {"UA", "UAUTHOR"}, "fire": {"UAUTHOR"}, "100": {"UAUTHOR"}},
        replies=("UB", "UAUTHOR", "UAUTHOR"),
    )
    assert engagement_of(self_boosted) == engagement_of(plain)
    assert engagement_of(post(reactions={"tada": {"UAUTHOR"}}, replies=("UAUTHOR",))).score == 0.0


PEOPLE = st.sampled_from(["UAUTHOR", "UA", "UB", "UC", "UD"])
ENGAGED_POST = st.builds(
    lambda reactions, replies: post(reactions=reactions, replies=tuple(replies)),
    st.dictionaries(st.sampled_from(["tada", "heart", "fire"]), st.sets(PEOPLE, max_size=5), max_size=3),
    st.lists(PEOPLE, max_size=8),
)


@settings(max_examples=80, derandomize=True)
@given(ENGAGED_POST)
def test_a_new_person_engaging_always_raises_the_score(p: SharedPost) -> None:
    reacted = post(reactions={**{k: set(v) for k, v in p.reactions.items()}, "wave": {"UNEW"}},
                   replies=p.reply_user_ids)
    replied = post(reactions={k: set(v) for k, v in p.reactions.items()}, replies=(*p.reply_user_ids, "UNEW"))
    assert engagement_score(reacted) > engagement_score(p)
    assert engagement_score(replied) > engagement_score(p)


def test_deleted_posts_are_excluded_and_score_nothing() -> None:
    gone = post("1.000001", reactions={"tada": {"UA", "UB", "UC"}}, deleted=True)
    kept = post("2.000001")
    assert rank_posts([gone, kept]) == [kept]
    assert engagement_score(gone) == 0.0


def test_ties_go_to_the_earlier_post_by_numeric_ts() -> None:
    later = post("1000.000000", "UA")
    earlier = post("999.000001", "UB")
    assert rank_posts([later, earlier]) == [earlier, later]


SCORED_POSTS = st.lists(
    st.builds(
        lambda seconds, user, reactors, deleted: post(
            f"{seconds}.000001", user, reactions={"tada": reactors}, deleted=deleted
        ),
        st.integers(1, 5000),
        st.sampled_from(["UA", "UB", "UC"]),
        st.sets(st.sampled_from(["UX", "UY", "UZ"])),
        st.booleans(),
    ),
    max_size=25,
)


@settings(max_examples=60, derandomize=True)
@given(SCORED_POSTS, st.randoms(use_true_random=False))
def test_ranking_is_sorted_complete_and_independent_of_input_order(posts: list[SharedPost], rnd) -> None:  # type: ignore[no-untyped-def]
    ranked = rank_posts(posts)
    live = [p for p in posts if not p.deleted]
    assert sorted(map(id, ranked)) == sorted(map(id, live))
    for a, b in pairwise(ranked):
        assert (engagement_score(a), -ts_key(a.ts)[0]) >= (engagement_score(b), -ts_key(b.ts)[0])
    shuffled = list(posts)
    rnd.shuffle(shuffled)
    assert [(p.ts, p.user_id, engagement_score(p)) for p in rank_posts(shuffled)] == [
        (p.ts, p.user_id, engagement_score(p)) for p in ranked
    ]


# --- digest ------------------------------------------------------------------------


def test_digest_counts_first_timers_in_order_of_their_first_post() -> None:
    posts = [
        post("300.000001", "UNEW2"),
        post("100.000001", "UOLD"),
        post("250.000001", "UNEW1"),
        post("400.000001", "UNEW2"),
        post("200.000001", "UNEW1"),
        post("150.000001", "UGHOST", deleted=True),
    ]
    digest = build_digest(4, posts, earlier_sharers=["UOLD"])
    assert digest.week == 4
    assert digest.post_count == 5
    assert digest.sharer_count == 3
    assert digest.first_timers == ["UNEW1", "UNEW2"]
    assert len(digest.ranked) == 5 and not any(p.deleted for p in digest.ranked)


def test_a_member_whose_only_post_was_deleted_is_not_a_sharer() -> None:
    digest = build_digest(1, [post("1.000001", "UA", deleted=True)], earlier_sharers=set())
    assert (digest.post_count, digest.sharer_count, digest.first_timers, digest.ranked) == (0, 0, [], [])


def test_everyone_is_a_first_timer_in_week_one() -> None:
    posts = [post(f"{i}.000001", f"U{i}") for i in range(1, 6)]
    assert build_digest(1, posts, frozenset()).first_timers == ["U1", "U2", "U3", "U4", "U5"]


# --- titles ----------------------------------------------------------------------


def test_title_is_preferred_and_escaped() -> None:
    assert title_of(post(title="  Bears   & <friends>  ", text="ignored")) == "Bears &amp; &lt;friends&gt;"


def test_title_falls_back_to_the_first_non_empty_line() -> None:
    assert title_of(post(text="\n   \nMy *first* model\nsecond line")) == "My *first* model"
    assert title_of(post(title="   ", text="from text")) == "from text"


def test_a_code_fence_line_is_not_a_title() -> None:
    assert title_of(post(text="```\nlearn.fine_tune(3)\n```")) == "learn.fine_tune(3)"


@pytest.mark.parametrize(
    ("files", "links", "expected"),
    [(("F1",), (), "Shared a file"), ((), ("https://a.b",), "Shared a link"), ((), (), "Untitled post")],
)
def test_posts_without_text_get_a_placeholder(files: tuple[str, ...], links: tuple[str, ...], expected: str) -> None:
    assert title_of(post(text="", files=files, links=links)) == expected


def test_long_lines_are_trimmed_on_a_word_boundary() -> None:
    words = ["lesson"] * 40
    title = title_of(post(text=" ".join(words)))
    assert len(title) <= 120 and title.endswith("…")
    assert set(title.removesuffix("…").split(" ")) == {"lesson"}


def test_trimming_never_cuts_inside_a_link_and_mentions_become_names() -> None:
    link = "<https://github.com/someone/fastbook-notes/blob/main/04_mnist_basics.ipynb|my notebook on MNIST basics>"
    text = "I finally trained " + "a classifier " * 5 + "with help from <@U0ABCDEF12> see " + link + " for details"
    title = title_of(post(text=text), names={"U0ABCDEF12": "ada"})
    assert len(title) <= 120
    assert "<https://github.com" not in title  # the link straddled the limit, so it is dropped whole
    assert "with help from @\u200bada see" in title and "<@" not in title
    assert "<" not in TOKEN.sub("", title) and ">" not in TOKEN.sub("", title)


def test_trimming_applies_to_long_titles_too() -> None:
    assert len(title_of(post(title="word " * 40))) <= 120
