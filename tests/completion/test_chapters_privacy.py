"""A member's chapters marked done are theirs: `/study my-data` includes them, forget-me deletes them."""
from __future__ import annotations

from datetime import timedelta

from bot.privacy.export import member_data
from bot.privacy.forget import forget_member
from tests.completion.helpers import join, marks_of, study
from tests.questionnaire.conftest import ADA, GRACE, WEEK1, make_cohort


async def test_my_data_includes_the_marks_and_forget_me_removes_only_the_members(bot):
    cohort = await make_cohort(bot, questions=1)
    await join(bot, cohort, ADA, GRACE)
    bot.clock.set(WEEK1 + timedelta(days=8))
    for user, args in ((ADA, "done"), (ADA, "done 1"), (GRACE, "done 2")):
        await study(bot, args, user)
    data = await member_data(bot.db, bot.team_id, ADA, bot.clock.now())
    assert sorted(row["chapter"] for row in data["tables"]["completion_marks"]) == [1, 2]
    assert {row["user_id"] for row in data["tables"]["completion_marks"]} == {ADA}
    forgotten = await forget_member(bot.db, bot.team_id, ADA, bot.clock.now())
    assert forgotten.deleted["completion_marks"] == 2
    assert await marks_of(bot) == [(GRACE, 2)]
