"""The App Home as a member's dashboard, through signed `app_home_opened` events and the emulator."""
from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.ama.views import ASK_CALLBACK, OPEN_ASK_ACTION
from bot.groups.views import PREFERENCES_ACTION, PREFERENCES_VIEW
from bot.questionnaire.views import ANSWER_PRIVATELY_ACTION, PRIVATE_ANSWERS_VIEW
from bot.sessions.views import CALENDAR_ACTION
from tests.groups.helpers import groups, members, slash_reply, tick_groups
from tests.harness import StudyBot, text_of
from tests.home.helpers import (
    FORMED_AT,
    MAIN,
    WEEK1,
    WEEK2,
    WEEK2_SESSION,
    buttons,
    cohort_with_questions,
    dates,
    open_home,
    post_prompts,
    reply,
)

NOTEBOOK = "https://github.com/fastai/fastbook/blob/master/02_production.ipynb"
CLEAN = "https://github.com/fastai/fastbook/blob/master/clean/02_production.ipynb"
COLAB = "https://colab.research.google.com/github/fastai/fastbook/blob/master/02_production.ipynb"


async def test_a_stranger_gets_the_welcome_how_to_start_and_this_weeks_reading(emulator, database_url, clock):
    bot = await StudyBot.start(emulator, database_url, clock, command="/fastai")
    try:
        alone = text_of(await open_home(bot, "U0STRANGER"))
        assert "Welcome to the study group" in alone and "No cohort is running here yet" in alone
        await cohort_with_questions(bot)
        clock.set(WEEK2 + timedelta(hours=20))
        view = await open_home(bot, "U0STRANGER")
    finally:
        await bot.stop()
    shown = text_of(view)
    assert f"*How to start* — type these in <#{MAIN}>:" in shown
    for usage in ("`/fastai join`", "`/fastai progress`", "`/fastai share`", "`/fastai help`"):
        assert usage in shown
    assert "/study" not in shown  # the configured command, everywhere
    assert f"*fastbook* in <#{MAIN}> · week 2 of 20" in shown
    assert "*This week: Chapter 2 · From Model to Production*" in shown
    for url, label in ((NOTEBOOK, "Notebook"), (CLEAN, "Clean notebook (code only)"), (COLAB, "Open in Colab")):
        assert f"<{url}|{label}>" in shown
    assert ":studio_microphone: *Live session*:" in shown and dates(shown) == [WEEK2_SESSION]
    # Nothing of a member's own: no progress, no group, no buttons for actions they can't take yet.
    assert "Questionnaire" not in shown and "Study group" not in shown and buttons(view) == []


async def test_before_week_one_a_stranger_sees_when_it_starts_and_can_read_ahead(bot):
    await cohort_with_questions(bot)
    shown = text_of(await open_home(bot, "U0STRANGER"))
    assert "fastbook* in <#C0STUDY001> · starting soon" in shown
    assert "*Week 1 opens <!date^" in shown and "Chapter 1 · Your Deep Learning Journey" in shown
    assert "Want to read ahead?" in shown and "01_intro.ipynb|Notebook>" in shown
    assert dates(shown) == [WEEK1, datetime(2026, 3, 5, 19, 0, tzinfo=UTC)]  # week 1 opens; its Thursday session


async def member_mid_cohort(bot, emulator):  # type: ignore[no-untyped-def]
    """U1 answered all of chapter 1 and Q1 of chapter 2, and is in a study group of four Londoners."""
    await cohort_with_questions(bot)
    for user in ("U2", "U3", "U4"):
        emulator.workspace.add_user(user, tz="Europe/London", tz_offset=0)
    for user in ("U1", "U2", "U3", "U4"):
        await slash_reply(bot, "join", user=user)
    chapter1 = await post_prompts(bot, WEEK1)
    bot.clock.set(WEEK1 + timedelta(hours=20))
    for prompt in chapter1.values():
        await reply(bot, "U1", prompt)
    await tick_groups(bot, FORMED_AT)
    chapter2 = await post_prompts(bot, WEEK2)
    bot.clock.set(WEEK2 + timedelta(hours=15))
    await reply(bot, "U1", chapter2[1], "a first thought on chapter 2")
    bot.clock.set(WEEK2 + timedelta(hours=18))  # Wed 11 Mar 12:00: the session is tomorrow
    return chapter2


async def test_a_member_mid_cohort_sees_the_week_their_progress_and_their_group(bot, emulator):
    chapter2 = await member_mid_cohort(bot, emulator)
    [group] = await groups(bot)
    assert (await members(bot))["U1"].group_id == group.id
    view = await open_home(bot)
    shown = text_of(view)
    assert view["blocks"][0] == {"type": "header", "text": {"type": "plain_text", "text": "fastbook · Week 2 of 20",
                                                             "emoji": True}}
    assert "*This week: Chapter 2 · From Model to Production*" in shown
    assert f"<{NOTEBOOK}|Notebook>" in shown and f"<{COLAB}|Open in Colab>" in shown
    assert ":studio_microphone: *Live session*:" in shown and WEEK2_SESSION in dates(shown)
    # This week, and overall: chapter 1 complete, Q1 of chapter 2 answered.
    assert "this week `▰▰▱▱▱▱▱▱▱▱` *1 of 5* answered" in shown
    permalink = f"https://studybot-test.slack.com/archives/{MAIN}/p{chapter2[2].ts.replace('.', '')}"
    assert f"Next up: <{permalink}|Q2 of 5> — Chapter 2, question 2: what does *this* mean?" in shown
    assert "So far: *5 of 9* questions across 2 chapters · 1 complete" in shown
    assert f"*Your study group:* <#{group.channel_id}> · 4 members" in shown
    assert "Welcome back" not in shown  # they answered this morning
    assert "`/study progress`" in shown and "`/study answers`" in shown
    calendar, answer, preferences, buddy, ask = buttons(view)
    assert calendar["action_id"] == CALENDAR_ACTION and calendar["url"].startswith("https://calendar.google.com/")
    assert (answer["action_id"], answer["value"]) == (ANSWER_PRIVATELY_ACTION, "1:2:2")
    assert (buddy["action_id"], buddy["value"]) == ("buddies_opt_in", "1")  # "Find me a study buddy" (issue 24)
    assert (preferences["action_id"], preferences["value"]) == (PREFERENCES_ACTION, "1")
    assert ask["action_id"] == OPEN_ASK_ACTION and "value" not in ask  # the cohort is the member's own

    # Both buttons are the features' own, and work from the Home tab.
    home = emulator.workspace.home_views["U1"]
    await bot.click(answer["action_id"], answer["value"], channel=None, view=home)
    await bot.settle()
    modal = emulator.calls_to("views.open")[-1].args["view"]
    assert modal["callback_id"] == PRIVATE_ANSWERS_VIEW
    assert json.loads(modal["private_metadata"]) == {"cohort": 1, "chapter": 2}
    focused = [b["block_id"] for b in modal["blocks"] if b.get("element", {}).get("focus_on_load")]
    assert focused == ["q2"]
    await bot.click(preferences["action_id"], preferences["value"], channel=None, view=home)
    await bot.settle()
    assert emulator.calls_to("views.open")[-1].args["view"]["callback_id"] == PREFERENCES_VIEW
    await bot.click(ask["action_id"], channel=None, view=home)  # a question for the live session
    await bot.settle()
    asking = emulator.calls_to("views.open")[-1].args["view"]
    assert asking["callback_id"] == ASK_CALLBACK and asking["private_metadata"] == "1"


async def test_a_member_back_after_a_quiet_week_is_welcomed_back_and_pointed_at_this_weeks_first_question(bot):
    await cohort_with_questions(bot)
    chapter1 = await post_prompts(bot, WEEK1)
    bot.clock.set(WEEK1 + timedelta(days=1, hours=2))  # Wed 4 Mar 20:00
    await reply(bot, "U1", chapter1[1])
    await reply(bot, "U1", chapter1[2])
    chapter2 = await post_prompts(bot, WEEK2)

    bot.clock.set(WEEK1 + timedelta(days=7, hours=2))  # six days of quiet: just a member between answers
    assert "Welcome back" not in text_of(await open_home(bot))

    bot.clock.set(WEEK2 + timedelta(days=1, hours=16))  # Thu 12 Mar 10:00: eight days since their last answer
    view = await open_home(bot)
    shown = text_of(view)
    assert view["blocks"][1]["text"]["text"].startswith("*Welcome back* :wave:")  # right under the week's header
    assert "Missing a week is normal" in shown and "no need to catch up on everything first" in shown
    assert "Your first question this week is just below." in shown
    permalink = f"https://studybot-test.slack.com/archives/{MAIN}/p{chapter2[1].ts.replace('.', '')}"
    assert f"Next up: <{permalink}|Q1 of 5> — Chapter 2, question 1" in shown
    assert "So far you've answered 2 questions — they're all kept" in shown
    assert "this week's 5 questions are ready when you are" in shown
    assert "2 of 9" not in shown and "0 of 5" not in shown and "▱" not in shown  # no tally of what they haven't done
    assert f"with a few people in time zones near yours: `/study join` in <#{MAIN}>." in shown  # not in a group
    assert [(b["action_id"], b.get("value")) for b in buttons(view)] == [(CALENDAR_ACTION, None),
                                                                         (ANSWER_PRIVATELY_ACTION, "1:2:1"),
                                                                         (OPEN_ASK_ACTION, None)]
    for word in ("behind", "missed", "overdue"):
        assert word not in shown.lower()

    await reply(bot, "U1", chapter2[1], "back at it")
    shown = text_of(await open_home(bot))
    assert "Welcome back" not in shown and "|Q2 of 5>" in shown and "*1 of 5* answered" in shown


async def test_a_section_that_fails_to_load_leaves_the_rest_of_the_home(bot, emulator, monkeypatch):
    await member_mid_cohort(bot, emulator)

    emulator.fail_next("chat.getPermalink", error="message_not_found")
    shown = text_of(await open_home(bot))
    assert f"Next up: Q2 of 5 in <#{MAIN}> — Chapter 2" in shown  # still named, just without a link

    async def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the answers table is on fire")

    monkeypatch.setattr("bot.home.dashboard.progress", broken)
    shown = text_of(await open_home(bot))
    assert "*Questionnaire* — your progress couldn't be loaded just now" in shown
    assert "*This week: Chapter 2 · From Model to Production*" in shown and "*Your study group:* <#" in shown

    def unrenderable(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise ValueError("a renderer bug")

    with monkeypatch.context() as patched:
        patched.setattr("bot.home.views._member_blocks", unrenderable)
        shown = text_of(await open_home(bot))
    assert "Welcome to the study group" in shown and "How to start" in shown  # never a blank tab

    monkeypatch.setattr("bot.home.dashboard.active_cohorts", broken)
    shown = text_of(await open_home(bot))
    assert "Welcome to the study group" in shown and "I couldn't load this week's reading just now" in shown


async def test_a_home_button_whose_action_no_longer_applies_answers_by_dm(bot, emulator):
    """App Home clicks carry no response_url: the refusal must reach the member another way."""
    cohort = await cohort_with_questions(bot)
    emulator.workspace.add_user("U0NOTJOINED", "newcomer")
    home = {"type": "home", "id": "VHOME1", "blocks": []}
    await bot.click(PREFERENCES_ACTION, str(cohort.id), user="U0NOTJOINED", channel=None, view=home)
    await emulator.wait_for(lambda e: e.posted("U0NOTJOINED"))
    dm = emulator.posted("U0NOTJOINED")[0]
    assert dm.response["ok"] and "Join a study group first" in dm.args["text"]
    assert emulator.responses == []


async def test_an_unchanged_home_is_not_published_again_but_a_change_is(bot):
    """`views.publish` is rate-limited per workspace: opening the tab again shows what Slack already has."""
    await cohort_with_questions(bot)
    prompts = await post_prompts(bot, WEEK1)
    first = await open_home(bot, "U1")
    await bot.event({"type": "app_home_opened", "user": "U1", "channel": "D0HOME0001", "tab": "home",
                     "event_ts": f"{bot.clock.now().timestamp():.6f}"})
    await bot.settle()
    assert len(bot.emulator.calls_to("views.publish")) == 1
    await reply(bot, "U1", prompts[1], "A GPU does many small sums at once.")
    changed = await open_home(bot, "U1")
    assert changed != first and len(bot.emulator.calls_to("views.publish")) == 2


async def test_a_reopened_home_costs_one_read_until_the_member_changes_something_or_it_is_old(bot):
    """Gathering the Home is a dozen queries; a reopen inside FRESH_FOR reads only the member's fingerprint
    (answers, preferences, groups). What others change shows once the remembered Home is FRESH_FOR old."""
    from sqlalchemy import update

    from bot.home.publish import FRESH_FOR
    from bot.models import Chapter
    from tests.perf.queries import statements

    await cohort_with_questions(bot)
    prompts = await post_prompts(bot, WEEK1)
    await open_home(bot, "U1")
    await bot.settle()  # the published view's hash is stored
    with statements(bot.db) as seen:
        await bot.event({"type": "app_home_opened", "user": "U1", "channel": "D0HOME0001", "tab": "home",
                         "event_ts": "1.0"})
        await bot.settle()
    reads = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
    assert seen == reads and len(reads) == 1, seen  # the fingerprint (an App Home opened is not claimed)
    assert len(bot.emulator.calls_to("views.publish")) == 1

    await reply(bot, "U1", prompts[1], "A GPU does many small sums at once.")
    await open_home(bot, "U1")  # the member's own change: gathered and published at once
    assert len(bot.emulator.calls_to("views.publish")) == 2

    async with bot.db.session() as session:  # an organizer renames the chapter
        await session.execute(update(Chapter).where(Chapter.number == 1).values(title="Your deep learning journey"))
    await bot.event({"type": "app_home_opened", "user": "U1", "channel": "D0HOME0001", "tab": "home",
                     "event_ts": "2.0"})
    await bot.settle()
    assert len(bot.emulator.calls_to("views.publish")) == 2  # remembered: not gathered yet
    bot.clock.advance(seconds=FRESH_FOR.total_seconds())
    renamed = await open_home(bot, "U1")
    assert "Your deep learning journey" in text_of(renamed)


async def test_a_cold_home_gathers_its_sections_on_one_connection(bot, emulator):
    """Each section reads through `db.session()`; gathered, they share one session (one checkout, no commit)
    rather than paying a checkout and a commit each (issue 26: about half of what the sections cost)."""
    from sqlalchemy import event

    await member_mid_cohort(bot, emulator)
    checkouts: list[object] = []

    def checked_out(*_args: object) -> None:
        checkouts.append(1)

    event.listen(bot.db.engine.sync_engine.pool, "checkout", checked_out)
    try:
        view = await open_home(bot)
        await bot.settle()
    finally:
        event.remove(bot.db.engine.sync_engine.pool, "checkout", checked_out)
    assert "*Your study group:*" in text_of(view) and ":studio_microphone: *Live session*:" in text_of(view)
    # the fingerprint, the gather, the published hash read and its write: four, not one per section
    assert len(checkouts) <= 4, len(checkouts)
