"""Two workspaces, one bot: the same user and channel ids in both, through every feature, and nothing of one
reaches the other.

"alphaland" (workspace A, London) and "betaland" (workspace B, Tokyo) each install studybot through OAuth.
Both have the people ONE, TWO and ORG (the organizer) and the channels C0STUDY001 and C0SHARE001: the same
ids, different people. Over three weeks they set up a cohort, get the week's announcement and questions,
answer in the threads (the prompts have the same channel and ts in both), ask for their progress and answers,
join study groups (formed into channels the bot creates), ask questions for the live session, share work and
get the digest, get the organizers' report and a nudge, open their Home, and export their data. Then: every
Web API call was made with the workspace's own token, and no message, Home tab, modal, file, response or
export of one workspace contains a word of the other.
"""
from __future__ import annotations

import asyncio
import json
import os
from pathlib import Path

from sqlalchemy import select

from bot.models.ama import AmaQuestion
from bot.models.groups import GroupMember, StudyGroup
from bot.models.questionnaire import Answer, Prompt
from bot.models.retention import MemberPreferences
from bot.privacy.views import MY_DATA_FILENAME
from bot.retention.views import NUDGE_PAUSE_ACTION
from tests.emulator.state import TEAM_ID
from tests.harness import text_of
from tests.workspaces.helpers import OTHER_TEAM, add_team, install, start_oauth_bot
from tests.workspaces.two_teams import (
    DIGEST,
    FORMED,
    MAIN,
    NUDGES,
    ONE,
    ORG,
    REPORT,
    SHARE,
    TWO,
    WEEK1,
    WEEK2,
    Team,
)

METRICS_OUT = os.environ.get("STUDYBOT_ISOLATION_METRICS")  # a path: keep the /metrics text seen at the end


async def prompts_of(team: Team) -> list[Prompt]:
    async with team.bot.db.session() as session:
        return list(await session.scalars(select(Prompt).where(Prompt.team_id == team.id).order_by(Prompt.position)))


async def rows(team: Team, model) -> list:  # type: ignore[no-untyped-def]
    async with team.bot.db.session() as session:
        return list(await session.scalars(select(model).where(model.team_id == team.id)))


async def test_two_workspaces_with_the_same_ids_never_see_each_other(emulator, database_url, clock, tmp_path: Path):
    add_team(emulator)
    bot = await start_oauth_bot(emulator, database_url, clock)
    a, b = Team(bot, emulator, TEAM_ID, "alphaland"), Team(bot, emulator, OTHER_TEAM, "betaland")
    a.seat("Europe/London", 0)
    b.seat("Asia/Tokyo", 32400)
    try:
        for team in (a, b):
            assert (await install(bot, team.id)).startswith("200")
            await team.cohort()

        # Before week 1: everyone joins the study groups (their zone read from their own workspace's profile).
        for team in (a, b):
            for user in (ONE, TWO, ORG):
                assert "joined" in (await team.slash("join", user=user)).lower()

        # Week 1 opens in both at once: one tick, each cohort's announcement and questions in its own channel.
        await bot.tick(WEEK1)
        for team in (a, b):
            prompts = await prompts_of(team)
            assert [p.channel_id for p in prompts] == [MAIN, MAIN]
            for prompt in prompts:
                assert prompt.ts in team.slack.channels[MAIN].messages
            # ONE and TWO answer the first question in its thread: the same channel id and ts in both.
            await team.say(ONE, f"{team.mark}: ONE's answer, a tensor is an array", thread_ts=prompts[0].ts)
            await team.say(TWO, f"{team.mark}: TWO's answer", thread_ts=prompts[0].ts)

        first_a, first_b = (await prompts_of(a))[0], (await prompts_of(b))[0]
        assert (first_a.channel_id, first_a.ts) == (first_b.channel_id, first_b.ts)  # only the team tells them apart

        for team in (a, b):
            progress = await team.slash("progress")
            assert f"progress ({team.mark}): 1 of 2 questions answered" in progress
            assert f"https://{team.slack.domain}.slack.com/archives/{MAIN}/p" in progress  # its own permalink
            await team.slash("answers")  # as Markdown in a DM
            dm = team.slack.channels.get("D" + ONE[1:])
            assert dm and any(f"{team.mark}: ONE's answer" in json.dumps(m.as_slack()) for m in dm.messages.values())
            # A question for the live session, and the board.
            await team.slash(f"ask {team.mark}: why does SGD work at all?", user=TWO)
            board = await team.slash("ama")
            assert f"{team.mark}: why does SGD work" in board

            # The share channel: a post with a link, a reaction, a reply.
            post = await team.say(ONE, f"{team.mark} notebook https://{team.mark}.example/nb", channel=SHARE)
            await team.react(TWO, post)
            await team.say(ONE, f"{team.mark}: nice one", channel=SHARE, thread_ts=post.ts)

        # Friday: the groups form in both workspaces, each group's channel created in its own workspace.
        await bot.tick(FORMED)
        for team in (a, b):
            groups = await rows(team, StudyGroup)
            assert len(groups) == 1 and groups[0].channel_id in team.slack.channels
            channel = team.slack.channels[groups[0].channel_id]
            assert {ONE, TWO, ORG} <= channel.members
            members = await rows(team, GroupMember)
            zone = "Europe/London" if team is a else "Asia/Tokyo"
            assert {m.zone for m in members} == {zone}  # users.info answered from the member's own workspace
            await team.say(ONE, f"{team.mark}: hello group", channel=groups[0].channel_id)
            assert team.mark in await team.slash("group")

        # Monday: each share channel's digest, of its own posts.
        await bot.tick(DIGEST)
        for team in (a, b):
            digest = [m for m in team.slack.channels[MAIN].messages.values() if "digest" in json.dumps(
                m.metadata or {})]
            assert digest and f"{team.mark} notebook" in text_of(digest[-1].as_slack())

        # Week 2 opens; the organizers' report comes a day before the session.
        await bot.tick(WEEK2)
        await bot.tick(REPORT)
        for team in (a, b):
            assert any("report" in json.dumps(m.metadata or {}) for m in team.dms(ORG))

        # Week 3: ORG, quiet since joining, gets a gentle nudge in each workspace; B's ORG pauses them.
        await bot.tick(NUDGES)
        nudged = {team.mark: [m for m in team.dms(ORG) if "nudge" in json.dumps(m.metadata or {})] for team in (a, b)}
        assert [len(n) for n in nudged.values()] == [1, 1]
        assert "Paused until" in await b.click(ORG, nudged[b.mark][0], NUDGE_PAUSE_ACTION)
        paused = {team.mark: [p.paused_until is not None for p in await rows(team, MemberPreferences)
                              if p.user_id == ORG] for team in (a, b)}
        assert paused == {a.mark: [False], b.mark: [True]}  # the same id in A is someone else: not paused

        # The members open their Home and ask for their data.
        for team in (a, b):
            home = await team.open_home(ONE)
            assert team.mark in text_of(home)
            said = await team.slash("my-data")
            assert "records" in said

        # The organizers' exports, from the command line.
        for team in (a, b):
            exported = json.loads(await team.studybot("member", "export", ONE, "--team", team.id))
            assert exported["workspace"] == team.id and f"{team.mark}: ONE's answer" in json.dumps(exported)
            answers = json.loads(await team.studybot("answers", "export", "--user", ONE, "--cohort", team.mark,
                                                     "--json"))
            assert [a["text"] for a in answers["answers"]] == [f"{team.mark}: ONE's answer, a tensor is an array"]
            table = tmp_path / f"{team.mark}.csv"
            await team.studybot("report", "--cohort", team.mark, "--week", "1", "--csv", str(table))
            team.printed.append(table.read_text())
            assert team.mark in await team.studybot("ama", "export", "--cohort", team.mark, "--session", "1")

        status, metrics = await scrape(bot, "/metrics")
    finally:
        await bot.stop()

    # Every call carried a token issued to one of the two installs, and only the OAuth exchanges carried none.
    assert all(c.token in emulator.tokens for c in emulator.calls if c.method != "oauth.v2.access")
    for team, other in ((a, b), (b, a)):
        assert {team.id} == {emulator.tokens[c.token] for c in emulator.calls_by(team.id) if c.token}
        received = team.received()
        assert sum(team.mark in text for text in received) > 30  # its own words are everywhere it looks…
        leaks = [text for text in received if other.mark in text]
        assert leaks == [], f"{other.mark} reached {team.mark}: {leaks[:3]}"  # …and the other's nowhere
        assert team.files(MY_DATA_FILENAME) and all(f["workspace"] == team.id for f in team.files(MY_DATA_FILENAME))
        stored = await rows(team, Answer) + await rows(team, AmaQuestion)
        assert stored and all(other.mark not in (row.text or "") for row in stored)

    assert status == 200
    if METRICS_OUT:
        await asyncio.to_thread(Path(METRICS_OUT).write_text, metrics)
    lines = set(metrics.splitlines())
    assert 'studybot_slack_api_calls_total{method="oauth.v2.access"} 2.0' in lines
    assert 'studybot_jobs_total{job="rhythm-week-open",outcome="ran"} 6.0' in lines  # three weeks, two workspaces


async def scrape(bot, path: str) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    async with bot.session.get(bot.url.removesuffix("/slack/events") + path) as response:
        return response.status, await response.text()
