"""A digest window's ranking scores counted in SQL: 10,000 posts are ranked from one row each,
not from their ~180,000 reaction and reply rows; only the shown posts are loaded whole.

The score is `ranking.engagement_of`'s, from the same counts: per post, the distinct
people who reacted or replied (the author left out), their reactions capped per
person and their replies capped per person. A post whose replies were topped up from
a history read (`effective_reply_users`, Python's estimate) is scored in Python.
"""
from __future__ import annotations

from sqlalchemy import and_, case, func, literal, select, union_all
from sqlalchemy.ext.asyncio import AsyncSession

from bot.models.share import SharePost, ShareReaction, ShareReply
from bot.share.digest_timing import DigestWindow
from bot.share.posts import SharedPost
from bot.share.ranking import MAX_REACTIONS_PER_PERSON, MAX_REPLIES_PER_PERSON, engagement_score, score_of
from bot.share.store import posts_with_ts, window_conditions


async def scored_posts_in_window(
    session: AsyncSession, team_id: str, channel_id: str, window: DigestWindow,
) -> tuple[list[SharedPost], dict[str, float]]:
    """The window's live posts (ts and author only: enough to count and rank them) and each one's score."""
    in_window = window_conditions(team_id, channel_id, window)
    rows = (await session.execute(select(SharePost.ts, SharePost.user_id, SharePost.history_reply_count)
                                  .where(*in_window))).all()
    posts = [SharedPost(ts=row.ts, user_id=row.user_id, text="") for row in rows]
    # int(): PostgreSQL sums integers as numeric (Decimal), and the score is exact binary fractions of ints.
    scores = {post_ts: score_of(int(people), int(capped_reactions), int(capped_replies))
              for post_ts, people, capped_reactions, capped_replies in await session.execute(_counts(in_window))}
    from_history = [row.ts for row in rows if row.history_reply_count]
    for start in range(0, len(from_history), 500):
        for post in await posts_with_ts(session, team_id, channel_id, from_history[start:start + 500]):
            scores[post.ts] = engagement_score(post)
    return posts, scores


def _counts(in_window: list):  # type: ignore[no-untyped-def]
    """(post ts, people, capped reactions, capped replies) for every post someone else engaged with."""
    reacted = (select(ShareReaction.post_ts.label("post_ts"), ShareReaction.user_id.label("user_id"),
                      literal(1).label("reactions"), literal(0).label("replies"))
               .join(SharePost, _same_post(ShareReaction))
               .where(*in_window, ShareReaction.present.is_(True), ShareReaction.user_id != SharePost.user_id))
    replied = (select(ShareReply.post_ts, ShareReply.user_id, literal(0), literal(1))
               .join(SharePost, _same_post(ShareReply))
               .where(*in_window, ShareReply.deleted.is_(False), ShareReply.user_id.is_not(None),
                      ShareReply.user_id != SharePost.user_id))
    both = union_all(reacted, replied).subquery()
    person = (select(both.c.post_ts, func.sum(both.c.reactions).label("reactions"),
                     func.sum(both.c.replies).label("replies"))
              .group_by(both.c.post_ts, both.c.user_id).subquery())
    return (select(person.c.post_ts, func.count(),
                   func.sum(_capped(person.c.reactions, MAX_REACTIONS_PER_PERSON)),
                   func.sum(_capped(person.c.replies, MAX_REPLIES_PER_PERSON)))
            .group_by(person.c.post_ts))


def _capped(column, cap: int):  # type: ignore[no-untyped-def]
    return case((column > cap, cap), else_=column)


def _same_post(model):  # type: ignore[no-untyped-def]
    return and_(SharePost.team_id == model.team_id, SharePost.channel_id == model.channel_id,
                SharePost.ts == model.post_ts)
