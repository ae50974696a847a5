"""Ranking shared posts and assembling the weekly share-your-work digest.

The digest celebrates breadth of engagement: a post that five different people
reacted to should rank above a post one friend reacted to with ten emoji.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import chain

from bot.blocks import defuse_mentions, escape_mrkdwn, shorten_mrkdwn
from bot.messages import ts_key
from bot.share.posts import Engagement, SharedPost

PERSON_WEIGHT = 3.0
REACTION_WEIGHT = 1.0
REPLY_WEIGHT = 1.5
# One person's enthusiasm is capped so it can't outweigh a second person:
# at most 3 × 1.0 from their reactions, which is less than another person's
# 3.0 + 1.0 for a single reaction.
MAX_REACTIONS_PER_PERSON = 3
MAX_REPLIES_PER_PERSON = 4

TITLE_MAX_CHARS = 120


@dataclass(frozen=True)
class Digest:
    """Everything the weekly digest message needs, with deleted posts already gone."""

    week: int
    post_count: int
    sharer_count: int
    ranked: list[SharedPost]  # from the database, only the shown ones carry their text
    first_timers: list[str]
    names: Mapping[str, str] = field(default_factory=dict)  # user id → name, for mentions in titles


def engagement_of(post: SharedPost) -> Engagement:
    """Count distinct engagers, reactions and replies, ignoring the author's own.

    score = 3 × distinct people (reactors ∪ repliers)
          + 1 × reactions, at most 3 counted per person
          + 1.5 × replies, at most 4 counted per person
    Deleted posts score nothing. All weights are exact binary fractions, so the
    score is exactly reproducible. A post read with its counts (``counted``) has them.
    """
    if post.deleted:
        return Engagement(people=0, reactions=0, replies=0, score=0.0)
    if post.counted is not None:
        return post.counted
    author = post.user_id
    return engagement_from(_tally(chain.from_iterable(post.reactions.values()), author),
                           _tally(post.reply_user_ids, author))


def engagement_from(reactions_by: Mapping[str, int], replies_by: Mapping[str, int]) -> Engagement:
    """A post's engagement from each person's number of reactions and replies, its author already left out
    (also how `bot.share.tallies` counts a post from its rows)."""
    people = len(reactions_by.keys() | replies_by.keys())
    score = score_of(people, capped_total(reactions_by, MAX_REACTIONS_PER_PERSON),
                     capped_total(replies_by, MAX_REPLIES_PER_PERSON))
    return Engagement(people=people, reactions=sum(reactions_by.values()), replies=sum(replies_by.values()),
                      score=score)


def score_of(people: int, capped_reactions: int, capped_replies: int) -> float:
    """The formula of :func:`engagement_of`, from its counts (as stored per post: `bot.share.tallies`)."""
    return PERSON_WEIGHT * people + REACTION_WEIGHT * capped_reactions + REPLY_WEIGHT * capped_replies


def engagement_score(post: SharedPost) -> float:
    """The ranking score of a post; see :func:`engagement_of` for the formula."""
    return engagement_of(post).score


def rank_posts(posts: Iterable[SharedPost], scores: Mapping[str, float] | None = None) -> list[SharedPost]:
    """Live posts, best first; ties go to the earlier post, then the user id, so order never depends on input order.

    `scores` (post ts → score, absent = 0) are scores counted beforehand; without them each post is scored here.
    """
    return _ranked([(post, ts_key(post.ts)) for post in posts if not post.deleted], scores)


def _ranked(keyed: list[tuple[SharedPost, tuple[int, int]]], scores: Mapping[str, float] | None) -> list[SharedPost]:
    """:func:`rank_posts` of live posts with their ts keys (a digest's 10,000 are parsed once)."""
    def score(post: SharedPost) -> float:
        return engagement_score(post) if scores is None else scores.get(post.ts, 0.0)

    scored = [(-score(post), key, post.user_id, post) for post, key in keyed]
    scored.sort(key=lambda item: item[:3])
    return [item[3] for item in scored]


def build_digest(week: int, posts_this_week: Sequence[SharedPost], earlier_sharers: Collection[str],
                 scores: Mapping[str, float] | None = None) -> Digest:
    """Assemble the week's digest; ``earlier_sharers`` are everyone who shared in any earlier week;
    ``scores`` as in :func:`rank_posts`."""
    keyed = [(post, ts_key(post.ts)) for post in posts_this_week if not post.deleted]
    earlier = earlier_sharers if isinstance(earlier_sharers, (set, frozenset)) else set(earlier_sharers)
    first_post: dict[str, tuple[int, int]] = {}
    for post, key in keyed:
        if post.user_id not in first_post or key < first_post[post.user_id]:
            first_post[post.user_id] = key
    first_timers = sorted(
        (user for user in first_post if user not in earlier),
        key=lambda user: (first_post[user], user),
    )
    return Digest(
        week=week,
        post_count=len(keyed),
        sharer_count=len(first_post),
        ranked=_ranked(keyed, scores),
        first_timers=first_timers,
    )


def title_of(post: SharedPost, max_chars: int = TITLE_MAX_CHARS, names: Mapping[str, str] | None = None) -> str:
    """A one-line mrkdwn title for a post: its title, else its first line, shortened safely.

    The bot re-posts it, so mentions are defused (``names`` turns ``<@U…>`` into names)
    and the result never ends inside a ``<url|text>`` link. Titles are plain text and get
    escaped; message text is already mrkdwn.
    """
    if post.title and post.title.strip():
        line = escape_mrkdwn(" ".join(post.title.split()))
    else:
        line = first_line(post.text)
    if not line:
        line = _placeholder_title(post)
    return shorten_mrkdwn(defuse_mentions(line, names), max_chars)


def first_line(text: str) -> str:
    """The first non-empty line of a message, which the digest shows when a post has no title."""
    for raw_line in text.splitlines():
        line = raw_line.strip()
        # A code fence on its own would make a useless title.
        line = line.removeprefix("```").removesuffix("```").strip()
        if line:
            return " ".join(line.split())
    return ""


def _placeholder_title(post: SharedPost) -> str:
    if post.files:
        return "Shared a file"
    if post.links:
        return "Shared a link"
    return "Untitled post"


def _tally(user_ids: Iterable[str], author: str) -> dict[str, int]:
    """How many times each person appears, the author left out (a plain dict loop: the digest's hot path)."""
    counts: dict[str, int] = {}
    for user_id in user_ids:
        counts[user_id] = counts.get(user_id, 0) + 1
    counts.pop(author, None)
    return counts


def capped_total(counts: Mapping[str, int], cap: int) -> int:
    """Everyone's count, each at most ``cap``."""
    return sum(count if count < cap else cap for count in counts.values())
