"""`render_home` alone, at the edges: every phase and state, and values far longer than real ones,
always within Slack's limits (checked by the emulator's own Block Kit rules)."""
from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest

from bot.groups.views import preferences_button
from bot.home.dashboard import ChapterLinks, CohortHome, Home, MyGroup, NextQuestion, QuestionnaireView, WeekView
from bot.home.views import render_home
from bot.questionnaire.record import ChapterProgress
from bot.questionnaire.views import answer_privately_button, chapter_name
from bot.rhythm.views import chapter_link_items
from tests.emulator.blockkit import view_problems
from tests.harness import text_of

NOW = datetime(2026, 3, 11, 12, 0, tzinfo=UTC)
HUGE_URL = "https://example.com/" + "a&b|c<d>e " * 120  # ~1,200 characters, every character Slack escapes
CHAPTER = ChapterLinks(4, chapter_name(4, "Under the Hood " * 20),
                       tuple(chapter_link_items(SimpleNamespace(links=[
                           {"label": label, "url": HUGE_URL}
                           for label in ("Notebook", "Clean notebook (code only)", "Open in Colab", "Video")]))))


def week(phase: str, **overrides) -> WeekView:  # type: ignore[no-untyped-def]
    is_open = phase == "open"
    values = {"phase": phase, "weeks": 20, "number": 4 if is_open else None,
              "closes_at": NOW + timedelta(days=3) if is_open else None, "next_number": 5,
              "next_opens_at": NOW + timedelta(days=3), "chapter": CHAPTER, "session": NOW + timedelta(days=1),
              "session_week": 4 if is_open else 5}
    return WeekView(**{**values, **overrides})


def cohort(week_view: WeekView | None, *, group: MyGroup | None = None, welcome_back: bool = False,
           unavailable: tuple[str, ...] = (), index: int = 1) -> CohortHome:
    questionnaire = QuestionnaireView(
        this_week=ChapterProgress(4, "t" * 200, 2, 40) if week_view and week_view.phase == "open" else None,
        answered=30, total=90, chapters=4, complete=2,
        next_question=NextQuestion(4, 3, 40, "*why* " * 2000 + "<https://x.y|link>", "C0QUESTIONS", HUGE_URL,
                                   answer_privately_button(index, 4, 3)),
        more_at=None,
    )
    return CohortHome(id=index, name="n" * 80, channel_id="C0STUDY001", questions_channel_id="C0QUESTIONS",
                      share_channel_id=None, week=week_view, questionnaire=questionnaire,
                      group=group or MyGroup("grouped", index, "Asia/Kolkata (UTC+05:30)", name="g" * 80,
                                             channel_id=None, members=8, preferences_button=preferences_button(index)),
                      last_answered_at=NOW - timedelta(days=9), welcome_back=welcome_back, unavailable=unavailable)


PHASES = [week("open"), week("upcoming"), week("break"), week("finished", next_number=None, next_opens_at=None,
                                                              session=None, session_week=None, chapter=None)]


@pytest.mark.parametrize("member", [True, False])
@pytest.mark.parametrize("phase", PHASES, ids=lambda w: w.phase)
def test_every_phase_stays_within_slacks_limits(phase: WeekView, member: bool):
    homes = [cohort(phase, welcome_back=True, index=i) for i in range(1, 4)]
    view = render_home("/study", Home(member=member, cohorts=homes, more_cohorts=2))
    assert view_problems(view) == []
    assert view["type"] == "home" and len(view["blocks"]) <= 100


def test_every_group_state_and_failed_section_renders():
    button = preferences_button(1)
    states = [MyGroup("none", 1), MyGroup("left", 1),
              MyGroup("signed_up", 1, "Europe/London (UTC+00:00)", NOW, preferences_button=button),
              MyGroup("signed_up", 1, "UTC+05:45", preferences_button=button),
              MyGroup("waiting", 1, "Pacific/Auckland (UTC+13:00)", preferences_button=button)]
    homes = [cohort(week("open"), group=state, index=1) for state in states]
    homes.append(cohort(None, unavailable=("week", "questionnaire", "group")))
    view = render_home("/learn", Home(member=True, cohorts=homes))
    shown = text_of(view)
    assert view_problems(view) == []
    assert "`/learn join` in <#C0STUDY001> puts you in one again" in shown
    assert "Groups are formed <!date^" in shown and "Groups are being formed right now" in shown
    assert "you're on the waiting list (Pacific/Auckland (UTC+13:00))" in shown
    assert "couldn't be loaded just now" in shown and "/study" not in shown
    preferences = [b for b in view["blocks"] if b.get("accessory", {}).get("action_id") == "groups_preferences"]
    assert len(preferences) == 3  # only where the dashboard gave one


def test_an_open_week_whose_session_has_passed_names_the_next_one():
    passed = week("open", session=NOW + timedelta(days=6), session_week=5)
    shown = text_of(render_home("/study", Home(member=True, cohorts=[cohort(passed)])))
    assert ":studio_microphone: *Next live session*:" in shown


def test_without_anything_gathered_it_is_the_welcome():
    shown = text_of(render_home("/fastai"))
    assert "Welcome to the study group" in shown and "`/fastai join`" in shown


def test_a_members_home_points_at_the_live_session_and_finishing_commands():
    """Issues 23 and 24: the Home shows the commands where they apply (the calendar with its hint, recordings
    beside one, marking a chapter done in the footer)."""
    recording = ({"type": "section", "text": {"type": "mrkdwn", "text": "Missed it? Watch week 3"}},)
    home = Home(member=True, cohorts=[replace(cohort(week("open")), recording=recording)],
                calendar_hint="your private calendar link")
    shown = text_of(render_home("/study", home))
    for command in ("`/study calendar`", "`/study recordings`", "`/study done`", "`/study help`"):
        assert command in shown
