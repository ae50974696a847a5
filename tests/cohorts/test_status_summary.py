"""`studybot cohort show` and `/study admin status`: the same summary of where a cohort is."""
from __future__ import annotations

import json
from datetime import UTC, datetime

from bot.models.questionnaire import Answer
from tests.cohorts.test_cli import in_thread
from tests.groups.helpers import MAIN, ORGANIZER, make_cohort, slash_reply, tick_groups

IN_WEEK_2 = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)


async def test_cohort_show_and_admin_status_give_week_next_posts_and_counts(bot, emulator, database_url):
    emulator.workspace.add_user(ORGANIZER, tz="Europe/London")
    await make_cohort(bot, organizers=[ORGANIZER], session_time="thu 18:00")
    zones = ["Asia/Kolkata"] * 4 + ["America/New_York"] * 4 + ["Pacific/Honolulu"]
    for i, zone in enumerate(zones):
        emulator.workspace.add_user(f"U{i:05d}", tz=zone)
        await slash_reply(bot, "join", user=f"U{i:05d}")
    await tick_groups(bot, datetime(2026, 3, 6, 18, 0, tzinfo=UTC))
    # Answers are what members answered: U00000 answered two of week 2's questions (one in two replies),
    # U00001 one, U00002 took theirs back, U00003 answered week 1's → 3 answers this week, from 5 replies.
    async with bot.db.session() as session:
        for n, (chapter, position, user, deleted) in enumerate([
                (2, 1, "U00000", False), (2, 1, "U00000", False), (2, 2, "U00000", False), (2, 1, "U00001", False),
                (2, 1, "U00002", True), (1, 1, "U00003", False)]):
            session.add(Answer(team_id=bot.team_id, cohort_id=1, chapter=chapter, position=position, user_id=user,
                               channel_id=MAIN, message_ts=f"1.{n}", text="an answer", deleted=deleted,
                               posted_at=IN_WEEK_2, recorded_at=IN_WEEK_2))

    result = await in_thread(database_url, "cohort", "show", "fastbook", "--now", IN_WEEK_2.isoformat())
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].startswith("fastbook: week 2 of ")
    assert lines[1] == "9 members · 2 groups · 0 waiting · answers this week: 3"
    assert lines[2] == "next posts:" and len(lines) == 9
    assert lines[6].startswith("live session link: none") and lines[7].startswith("next live session: week 2, ")
    assert lines[8] == "calendar feed: none yet — studybot cohort calendar fastbook [--post]"
    assert lines[3] == "  week 2 reminder (24h): Wed 2026-03-11 18:00 Europe/London = Wed 18:00 UTC"
    shown = json.loads((await in_thread(database_url, "cohort", "show", "fastbook", "--json", "--now",
                                        IN_WEEK_2.isoformat())).stdout)
    assert shown["week"] == 2 and shown["members"] == 9 and shown["groups"] == 2 and shown["waiting"] == 0
    assert [p["utc"] for p in shown["next_posts"]][0] == "2026-03-11T18:00:00+00:00"
    stats = json.loads((await in_thread(database_url, "answers", "stats", "--json")).stdout)
    week2 = next(c for c in stats["chapters"] if c["chapter"] == 2)
    assert sum(q["members"] for q in week2["answers_per_question"]) == shown["answers_this_week"] == 3
    listed = await in_thread(database_url, "cohort", "list")
    assert listed.stdout.splitlines()[1].endswith(
        " · 9 members · 2 groups · 0 waiting · answers this week: no week open")

    bot.clock.set(IN_WEEK_2)
    status = await slash_reply(bot, "admin status", user=ORGANIZER)
    assert "9 members · 2 groups · 0 waiting · answers this week: 3" in status
    assert "week 2 reminder (24h)" in status and "(Wed 18:00 UTC)" in status
