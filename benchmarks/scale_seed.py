"""The `scale` scenario's database: one cohort at full size in week 20, seeded with bulk Core inserts.

Full: 5,000 members; 20 chapters × 25 questions; 500,000 answers (2,500 members — every other one — each
answering 200 of the 500 questions); 200 groups of 25; 20,000 share posts with ~90,000 replies and
~100,000 reactions; 2,000 AMA questions with 50,000 votes; every member with an "each week" plan due a
few minutes ago (the week-open tick's planning DMs). Chapter 20's 25 questions are not yet prompted.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import insert, select

TEAM = "T0STUDY01"
WEEK = 20


@dataclass(frozen=True)
class ScaleSize:
    members: int
    chapters: int
    questions_per_chapter: int
    answering_questions: int  # each answering member (every other one) answers this many questions
    groups: int
    posts: int
    ama_questions: int
    votes: int


FULL = ScaleSize(members=5_000, chapters=20, questions_per_chapter=25, answering_questions=200, groups=200,
                 posts=20_000, ama_questions=2_000, votes=50_000)
QUICK = ScaleSize(members=100, chapters=20, questions_per_chapter=5, answering_questions=20, groups=4,
                  posts=200, ama_questions=20, votes=200)


def user(n: int) -> str:
    return f"U{n:08d}"


def _chunks(rows: list[dict[str, Any]], size: int = 5_000) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), size):
        yield rows[start:start + size]


async def seed_scale(database_url: str, size: ScaleSize, channel: str, prompt_ts: str,
                     now: datetime | None = None) -> dict[str, int]:
    """Seed and return the row counts. The cohort's week 20 opened a day ago; its sessions are on Thursdays."""
    from bot.cohorts.store import create_cohort
    from bot.database import Database, upgrade
    from bot.models import Question
    from bot.models.ama import AmaBoard, AmaQuestion, AmaVote
    from bot.models.groups import GroupMember, StudyGroup
    from bot.models.questionnaire import Answer, Prompt
    from bot.models.retention import MemberPreferences
    from bot.models.share import SharePost, ShareReaction, ShareReply
    from bot.share.store import ts_at, version_of
    from bot.share.tallies import recount_channel

    rnd = random.Random(20261206)
    now = now or datetime.now(UTC)
    start = now - timedelta(weeks=WEEK - 1, hours=6)
    await upgrade(database_url)
    db = Database(database_url)
    counts: dict[str, int] = {}

    async def bulk(session: Any, model: Any, rows: list[dict[str, Any]]) -> None:
        for chunk in _chunks(rows):
            await session.execute(insert(model), chunk)
        counts[model.__tablename__] = counts.get(model.__tablename__, 0) + len(rows)

    async with db.session() as session:
        cohort = await create_cohort(session, team_id=TEAM, name="scale", channel_id=channel, timezone="UTC",
                                     start=start.strftime("%Y-%m-%d %H:%M"), now=start, weeks=WEEK,
                                     session_time="thu 18:00", share_channel_id="C0SHARE001")
        cohort.prompts_per_day = None
        cohort_id = cohort.id
    members = [user(n) for n in range(size.members)]
    questions = [(c, p) for c in range(1, size.chapters + 1) for p in range(1, size.questions_per_chapter + 1)]
    answered = [q for q in questions if q[0] < WEEK]  # chapter 20's questions go out in the tick
    async with db.session() as session:
        await bulk(session, Question, [{"team_id": TEAM, "cohort_id": cohort_id, "chapter": c, "position": p,
                                        "text": f"Question {c}.{p}?", "retired": False, "imported_at": start}
                                       for c, p in questions])
        await session.execute(insert(Prompt), [{
            "team_id": TEAM, "cohort_id": cohort_id, "chapter": c, "position": p, "total": size.questions_per_chapter,
            "channel_id": channel, "question_text": f"Question {c}.{p}?",
            "ts": prompt_ts if (c, p) == (1, 1) else f"1771{c:03d}{p:03d}.000100", "posted_at": start}
            for c, p in answered])
    async with db.session() as session:
        groups = [{"team_id": TEAM, "cohort_id": cohort_id, "name": f"group-{g}", "channel_id": f"C0GRP{g:05d}",
                   "center_offset": 0, "status": "ready", "created_at": start} for g in range(size.groups)]
        await bulk(session, StudyGroup, groups)
    async with db.session() as session:
        group_ids = list(await session.scalars(select(StudyGroup.id).where(StudyGroup.cohort_id == cohort_id)
                                               .order_by(StudyGroup.id)))
        await bulk(session, GroupMember, [
            {"team_id": TEAM, "cohort_id": cohort_id, "user_id": u, "zone": "UTC", "prefers": [], "joined_at": start,
             "group_id": group_ids[n % len(group_ids)]} for n, u in enumerate(members)])
        await bulk(session, MemberPreferences, [
            {"team_id": TEAM, "cohort_id": cohort_id, "user_id": u, "zone": "UTC", "plan": "each-week",
             "week_plan_week": WEEK, "week_plan_at": now - timedelta(minutes=5), "session_reminder": False,
             "nudges": True, "updated_at": start} for u in members])
    answer_rows = []
    for n in range(0, size.members, 2):
        for k, (c, p) in enumerate(rnd.sample(answered, min(size.answering_questions, len(answered)))):
            answer_rows.append({
                "team_id": TEAM, "cohort_id": cohort_id, "chapter": c, "position": p, "user_id": members[n],
                "channel_id": channel, "message_ts": f"17710{n:05d}.{k:06d}", "text": f"answer {n}/{c}.{p}",
                "private": False, "deleted": False, "acknowledged": True, "posted_at": start, "edited_at": None,
                "recorded_at": start})
    async with db.session() as session:
        await bulk(session, Answer, answer_rows)
    del answer_rows
    posts, replies, reactions = [], [], []
    share_from = start + timedelta(weeks=1)
    for i in range(size.posts):
        ts = ts_at(share_from + timedelta(seconds=rnd.randrange((WEEK - 2) * 7 * 86_400), microseconds=i))
        at = datetime.fromtimestamp(float(ts), UTC)
        posts.append({"team_id": TEAM, "cohort_id": cohort_id, "channel_id": "C0SHARE001", "ts": ts, "posted_at": at,
                      "week": 1 + (at - start).days // 7, "first_seen_at": at, "deleted": False,
                      "text": "my notebook <https://fast.ai|docs>", "links": [], "files": [],
                      "history_reply_count": 0, "history_reply_users": [], "user_id": rnd.choice(members),
                      "source": "event", "content_version": version_of(ts)})
        for r in range(rnd.randrange(10)):
            replies.append({"team_id": TEAM, "channel_id": "C0SHARE001", "post_ts": ts,
                            "reply_ts": ts_at(at + timedelta(hours=1, microseconds=r)), "user_id": rnd.choice(members),
                            "deleted": False, "first_seen_at": at})
        for emoji in rnd.sample(["tada", "fire", "heart"], rnd.randrange(4)):
            for reactor in rnd.sample(members, rnd.randrange(5)):
                reactions.append({"team_id": TEAM, "channel_id": "C0SHARE001", "post_ts": ts, "user_id": reactor,
                                  "emoji": emoji, "present": True, "version": version_of(ts)})
    async with db.session() as session:
        await bulk(session, SharePost, posts)
        await bulk(session, ShareReply, replies)
        await bulk(session, ShareReaction, reactions)
        await recount_channel(session, TEAM, "C0SHARE001")
    del posts, replies, reactions
    async with db.session() as session:
        boards = [{"team_id": TEAM, "cohort_id": cohort_id, "week": w, "channel_id": channel,
                   "session_at": start + timedelta(weeks=w - 1, days=2), "created_at": start}
                  for w in range(1, WEEK + 1)]
        await bulk(session, AmaBoard, boards)
        board_ids = list(await session.scalars(select(AmaBoard.id).where(AmaBoard.cohort_id == cohort_id)
                                               .order_by(AmaBoard.week)))
        await bulk(session, AmaQuestion, [
            {"team_id": TEAM, "board_id": board_ids[q % len(board_ids)], "user_id": members[q % len(members)],
             "text": f"AMA question {q}?", "text_key": f"k{q}", "anonymous": False, "state": "open",
             "pinned": False, "reviewed": False, "created_at": start, "message_dirty": False}
            for q in range(size.ama_questions)])
        question_ids = list(await session.scalars(
            select(AmaQuestion.id).where(AmaQuestion.board_id.in_(board_ids)).order_by(AmaQuestion.id)))
        per_question = max(1, size.votes // len(question_ids))
        await bulk(session, AmaVote, [
            {"team_id": TEAM, "question_id": qid, "user_id": members[(q * 7 + v) % len(members)], "active": True,
             "also_asked": False, "changed_at": start}
            for q, qid in enumerate(question_ids) for v in range(per_question)])
    await db.dispose()
    return counts
