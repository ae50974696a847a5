"""A button value, overflow option or modal metadata that names another workspace's cohort, group or question.

Ids in values are global primary keys, and user ids repeat across workspaces (U1 is someone in each), so
every lookup from a click must also check the caller's workspace. Here U1 and UADMIN of workspace B click
buttons and submit modals whose values name workspace A's things — each listener the views modules name is
tried — and the database stays exactly as it was, nothing reaches workspace A, and B's member sees only a
refusal that says nothing of A.
"""
from __future__ import annotations

import importlib
import json
import re
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.ama import recording_views
from bot.ama import views as ama
from bot.buddies import views as buddies
from bot.commitments import views as commitments
from bot.groups import views as groups
from bot.models import Question
from bot.models.ama import AmaBoard, AmaQuestion
from bot.models.groups import GroupFormation, GroupMember, StudyGroup
from bot.models.retention import MemberPreferences
from bot.privacy import views as privacy
from bot.questionnaire import views as questionnaire
from bot.questionnaire.views import ModalQuestion, render_private_modal
from bot.retention import views as retention
from bot.sessions import views as sessions
from bot.share import views as share
from tests.emulator.state import TEAM_ID
from tests.harness import HttpReply, StudyBot
from tests.privacy.test_forget_me import snapshot
from tests.workspaces.helpers import OTHER_TEAM, add_team, install, start_oauth_bot

A_MARK = "alpha-only"  # in every name and text of workspace A: must never reach B


@dataclass
class World:
    """What each workspace holds, by team: its cohort, group, open question (UADMIN's) and U1's draft."""

    cohort: dict[str, int]
    group: dict[str, int]
    question: dict[str, int]
    draft: dict[str, int]


async def build_world(bot: StudyBot) -> World:
    world = World({}, {}, {}, {})
    now = bot.clock.now()
    for team, name in ((TEAM_ID, f"{A_MARK}-cohort"), (OTHER_TEAM, "beta-cohort")):
        bot.team_id = team
        cohort = await bot.create_cohort(name, share_channel_id="C0STUDY001", session_time="Thu 19:00")
        async with bot.db.session() as session:
            session.add(Question(team_id=team, cohort_id=cohort.id, chapter=1, position=1,
                                 text=f"{name} question", imported_at=now))
            group = StudyGroup(team_id=team, cohort_id=cohort.id, name=f"{name}-group", channel_id="G0GROUP001",
                               center_offset=0, status="ready", created_at=now)
            board = AmaBoard(team_id=team, cohort_id=cohort.id, week=1, channel_id="C0STUDY001",
                             session_at=now + timedelta(days=3), created_at=now)
            session.add_all([group, board])
            await session.flush()
            session.add(GroupFormation(team_id=team, cohort_id=cohort.id, formed_at=now, min_size=1, max_size=8))
            session.add(GroupMember(team_id=team, cohort_id=cohort.id, user_id="U1", zone="Europe/London",
                                    prefers=["weekdays"], joined_at=now, group_id=group.id))
            session.add(GroupMember(team_id=team, cohort_id=cohort.id, user_id="UADMIN", zone="Europe/London",
                                    prefers=[], joined_at=now, group_id=group.id))
            session.add(MemberPreferences(team_id=team, cohort_id=cohort.id, user_id="U1", nudges=True,
                                          session_reminder=False, updated_at=now))
            question = AmaQuestion(team_id=team, board_id=board.id, user_id="UADMIN", text=f"{name} open question",
                                   text_key=uuid.uuid4().hex, state="open", created_at=now, ts="1.000001")
            draft = AmaQuestion(team_id=team, board_id=board.id, user_id="U1", text=f"{name} draft question",
                                text_key=uuid.uuid4().hex, state="draft", created_at=now)
            session.add_all([question, draft])
            await session.flush()
        world.cohort[team], world.group[team] = cohort.id, group.id
        world.question[team], world.draft[team] = question.id, draft.id
    return world


# ---- forging -------------------------------------------------------------------------------------------------

async def click(bot: StudyBot, action_id: str, value: str = "", *, user: str = "U1",
                selected: str | None = None) -> HttpReply:
    """A click from workspace B, on a message in B's channel (its refusal comes back through the response_url)."""
    action: dict[str, Any] = {"action_id": action_id, "block_id": "b", "type": "button", "value": value,
                              "action_ts": f"{uuid.uuid4().int % 10**9}.000100"}
    if selected is not None:
        action = {**action, "type": "overflow", "selected_option": {"value": selected}}
        del action["value"]
    return await bot.interact({
        "type": "block_actions", "user": {"id": user, "team_id": bot.team_id},
        "trigger_id": f"trigger-{uuid.uuid4().hex[:8]}", "actions": [action],
        "response_url": bot.emulator.response_url(), "channel": {"id": "C0STUDY001"},
        "container": {"type": "message", "channel_id": "C0STUDY001", "message_ts": "1.000001"},
        "message": {"ts": "1.000001", "text": ""},
    })


async def submit(bot: StudyBot, view: dict[str, Any], values: dict[str, Any], user: str = "U1") -> HttpReply:
    return await bot.submit(view, values, user=user)


Forge = Callable[[StudyBot, World], Awaitable[HttpReply]]


def _menu_pick(verb: str) -> Forge:
    return lambda b, w: click(b, ama.MENU_ACTION, user="UADMIN", selected=f"{verb}:{w.question[A]}")


def _cohort_click(action_id: str) -> Forge:
    return lambda b, w: click(b, action_id, str(w.cohort[A]))
A = TEAM_ID


def zone_value(w: World) -> str:
    return f"{w.cohort[A]}|Asia/Tokyo"


PLAN_VALUES = {retention.PLAN_BLOCK: {retention.PLAN_CHOICE_ACTION: {"selected_option": {"value": "each-week"}}},
               retention.PLAN_SESSION_BLOCK: {retention.PLAN_SESSION_ACTION: {"selected_options": []}}}
SHARE_VALUES = {share.TITLE_BLOCK: {share.SHARE_ACTION_IDS[share.TITLE_BLOCK]: {"value": "My notebook"}},
                share.LINK_BLOCK: {share.SHARE_ACTION_IDS[share.LINK_BLOCK]: {"value": "https://example.com/nb"}},
                share.NOTES_BLOCK: {share.SHARE_ACTION_IDS[share.NOTES_BLOCK]: {"value": "notes"}}}

# (kind, id) -> the forgeries of it: each names workspace A's things and is sent from workspace B.
CASES: dict[tuple[str, str], dict[str, Forge]] = {
    ("action", ama.UPVOTE_ACTION): {"question": lambda b, w: click(b, ama.UPVOTE_ACTION, str(w.question[A]))},
    ("action", ama.BOARD_VOTE_ACTION): {
        "question": lambda b, w: click(b, ama.BOARD_VOTE_ACTION, str(w.question[A]))},
    ("action", ama.MENU_ACTION): {
        f"{verb}": _menu_pick(verb) for verb in ama.MENU_LABELS},
    ("action", ama.UPVOTE_INSTEAD_ACTION): {
        "their draft": lambda b, w: click(b, ama.UPVOTE_INSTEAD_ACTION, f"{w.draft[A]}:{w.question[A]}"),
        "own draft, their question": lambda b, w: click(b, ama.UPVOTE_INSTEAD_ACTION,
                                                        f"{w.draft[OTHER_TEAM]}:{w.question[A]}"),
    },
    ("action", ama.ASK_ANYWAY_ACTION): {"their draft": lambda b, w: click(b, ama.ASK_ANYWAY_ACTION, str(w.draft[A]))},
    ("view", ama.ASK_CALLBACK): {"cohort": lambda b, w: submit(b, ama.ask_modal(w.cohort[A], 1), {
        ama.QUESTION_BLOCK: {ama.QUESTION_INPUT: {"value": "What is a tensor, really?"}}})},
    ("view", ama.HIDE_CALLBACK): {"question": lambda b, w: submit(b, ama.hide_modal(w.question[A], "q"), {
        ama.REASON_BLOCK: {ama.REASON_INPUT: {"value": "off topic"}}}, user="UADMIN")},
    ("view", recording_views.ANSWERED_CALLBACK): {"question": lambda b, w: submit(
        b, recording_views.answered_modal(w.question[A], "q", None),
        {recording_views.MOMENT_BLOCK: {recording_views.MOMENT_INPUT: {"value": "12:34"}}}, user="UADMIN")},
    ("action", groups.PREFERENCES_ACTION): {
        "cohort": lambda b, w: click(b, groups.PREFERENCES_ACTION, str(w.cohort[A]))},
    ("view", groups.PREFERENCES_VIEW): {"cohort": lambda b, w: submit(b, groups.preferences_modal(w.cohort[A], []), {
        groups.DAYS_BLOCK: {groups.DAYS_BLOCK: {"selected_options": [{"value": "weekends"}]}}})},
    ("action", groups.ZONE_CHOICE_ACTION): {
        "cohort": lambda b, w: click(b, f"{groups.ZONE_CHOICE_ACTION}:0", zone_value(w))},
    ("action", groups.MOVE_ACTION): {
        "their group": lambda b, w: click(b, groups.MOVE_ACTION, f"{w.cohort[A]}|{w.group[A]}"),
        "own cohort, their group": lambda b, w: click(b, groups.MOVE_ACTION, f"{w.cohort[OTHER_TEAM]}|{w.group[A]}"),
    },
    ("action", groups.FORM_GROUPS_ACTION): {
        "cohort": lambda b, w: click(b, groups.FORM_GROUPS_ACTION, f"{w.cohort[A]}::", user="UADMIN")},
    ("action", questionnaire.ANSWER_PRIVATELY_ACTION): {
        "cohort": lambda b, w: click(b, questionnaire.ANSWER_PRIVATELY_ACTION, f"{w.cohort[A]}:1:1")},
    ("view", questionnaire.PRIVATE_ANSWERS_VIEW): {"cohort": lambda b, w: submit(
        b, render_private_modal(w.cohort[A], 1, "Intro", [ModalQuestion(1, "q", None)]),
        {f"{questionnaire.ANSWER_BLOCK_PREFIX}1": {questionnaire.ANSWER_INPUT: {"value": "forged answer"}}})},
    ("action", retention.PLAN_OPEN_ACTION): {
        "cohort": lambda b, w: click(b, retention.PLAN_OPEN_ACTION, f"{w.cohort[A]}:1")},
    ("view", retention.PLAN_CALLBACK_ID): {"cohort": lambda b, w: submit(
        b, retention.planning_modal(w.cohort[A], 1, [("Each week", "each-week")], "Europe/London", None, False),
        PLAN_VALUES)},
    **{("action", choice): {"cohort": _cohort_click(choice)}
       for choice in (retention.NUDGE_IN_ACTION, retention.NUDGE_PAUSE_ACTION, retention.NUDGE_STOP_ACTION,
                      retention.NUDGES_RESUME_ACTION)},
    ("action", sessions.RSVP_ACTION): {"cohort": lambda b, w: click(b, sessions.RSVP_ACTION, f"{w.cohort[A]}:1")},
    **{("action", a): {"cohort": _cohort_click(a)} for a in (buddies.OPT_IN_ACTION, buddies.NO_THANKS_ACTION)},
    ("action", buddies.NEW_BUDDY_ACTION): {
        "cohort": lambda b, w: click(b, buddies.NEW_BUDDY_ACTION, f"{w.cohort[A]}:0")},
    **{("action", a): {"pair": lambda b, w, a=a: click(b, a, "1:1")} for a in buddies.CHECKIN_ACTIONS.values()},
    **{("action", a): {"cohort": lambda b, w, a=a: click(b, a, f"{w.cohort[A]}:1")}
       for a in (commitments.YES_ACTION, commitments.MORE_ACTION, commitments.SKIP_ACTION)},
    ("action", commitments.DAY_ACTION): {"cohort": lambda b, w: click(
        b, commitments.DAY_ACTION, selected=commitments.picker_value(w.cohort[A], 1, date(2026, 3, 5)))},
    ("view", share.SHARE_CALLBACK_ID): {"cohort": lambda b, w: submit(
        b, share.render_share_modal([], private_metadata=share.share_modal_metadata(w.cohort[A])), SHARE_VALUES)},
}

# Listeners whose values name nothing of a workspace: they act on the clicker in the workspace they clicked from.
CARRY_NO_ID = {
    ("action", privacy.FORGET_CONFIRM_ACTION), ("action", privacy.FORGET_CANCEL_ACTION),  # the clicker's own data
    ("action", ama.OPEN_ASK_ACTION), ("shortcut", ama.ASK_ABOUT_SHORTCUT),  # the cohort of the channel / member
    ("action", share.OPEN_LINK_ACTION),  # a link button: Slack opens the URL, no listener
    ("action", sessions.JOIN_ACTION), ("action", sessions.CALENDAR_ACTION),  # link buttons: their listener only acks
    ("action", buddies.KEEP_BUDDY_ACTION),  # "Keep my buddy" changes nothing
    ("action", retention.PLAN_CHOICE_ACTION), ("action", retention.PLAN_SESSION_ACTION),  # inputs of a modal
}
READS = {"auth.test", "users.info"}  # Bolt's authorization, the organizer check: they change nothing
SUFFIXES = {"_ACTION": "action", "_CALLBACK": "view", "_CALLBACK_ID": "view", "_VIEW": "view", "_SHORTCUT": "shortcut"}


def rendered_ids() -> set[tuple[str, str]]:
    """Every action, callback and shortcut id the features' views modules declare."""
    found = set()
    for path in sorted(Path(__file__).parents[2].glob("bot/*/views.py")):
        module = importlib.import_module(f"bot.{path.parent.name}.views")
        for name, value in vars(module).items():
            kind = next((k for suffix, k in SUFFIXES.items() if name.endswith(suffix)), None)
            if kind and isinstance(value, str) and name.isupper():
                found.add((kind, value))
    return found


def listened_ids() -> set[tuple[str, str]]:
    """Every id a listener is registered for (a pattern counts as its prefix)."""
    from handlers import actions, views

    class Recorder:
        def __init__(self) -> None:
            self.ids: set[tuple[str, str]] = set()

        def _record(self, kind: str, constraint: Any):  # type: ignore[no-untyped-def]
            text = constraint.pattern if isinstance(constraint, re.Pattern) else constraint
            self.ids.add((kind, re.sub(r"^\^|:.*$", "", text)))
            return lambda listener: listener

        def action(self, constraint):  # type: ignore[no-untyped-def]
            return self._record("action", constraint)

        def view(self, constraint):  # type: ignore[no-untyped-def]
            return self._record("view", constraint)

        def shortcut(self, constraint):  # type: ignore[no-untyped-def]
            return self._record("shortcut", constraint)

    recorder = Recorder()
    actions.register(recorder, None)
    views.register(recorder, None)
    return recorder.ids


def test_every_id_a_view_renders_or_a_listener_hears_is_forged_here_or_carries_no_id():
    declared = rendered_ids() | listened_ids()
    assert declared - CASES.keys() - CARRY_NO_ID == set(), "a new button/modal: add its forgery to CASES"
    assert (CASES.keys() | CARRY_NO_ID) - declared == set(), "a case for an id that no longer exists"


FORGERIES = [pytest.param(key, label, id=f"{key[0]}:{key[1]}-{label}")
             for key, forged in CASES.items() for label in forged]


@pytest.mark.parametrize(("key", "label"), FORGERIES)
async def test_a_value_naming_another_workspaces_thing_is_refused_and_changes_nothing(
        key, label, emulator, database_url, clock):
    add_team(emulator)
    bot = await start_oauth_bot(emulator, database_url, clock)
    try:
        for team in (TEAM_ID, OTHER_TEAM):
            await install(bot, team)
        world = await build_world(bot)
        before, calls, responses = await snapshot(bot.db), len(emulator.calls), len(emulator.responses)
        bot.team_id = OTHER_TEAM
        reply = await CASES[key][label](bot, world)
        await bot.settle()
        after = await snapshot(bot.db)
    finally:
        await bot.stop()

    changed = {table for table in before if before[table] != after[table]}
    assert changed == set(), f"{key} changed {changed}"
    made = emulator.calls[calls:]
    assert [c.method for c in made if c.team_id != OTHER_TEAM] == []  # nothing reached workspace A
    said = [c for c in made if c.method not in READS]
    refusals = [c for c in said if c.method == "views.update" or (c.method == "chat.postMessage"
                                                                  and c.args.get("channel") in ("U1", "UADMIN"))]
    assert said == refusals, f"only a refusal may be sent, got {[(c.method, c.args) for c in said]}"
    shown = [reply.text] + [json.dumps(r) for r in emulator.responses[responses:]]
    shown += [json.dumps(c.args) for c in said]
    assert reply.status == 200 and any(refusal(s) for s in shown), f"no refusal shown: {shown}"
    assert not any(A_MARK in s for s in shown)


def refusal(text: str) -> bool:
    """A sentence telling the member the thing is not there for them."""
    words = ("no longer exists", "out of date", "isn't waiting", "nothing was", "join a study group first",
             "organizers", "couldn't tell", "not found")
    return bool(text.strip()) and any(w in text.lower() for w in words)


