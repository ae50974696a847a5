"""A member's data through Slack: /study privacy, my-data (a JSON file in a DM), forget-me (with confirmation),
`studybot member forget`, and deleted messages losing their stored text."""
from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

from sqlalchemy import select

from bot.models.questionnaire import Answer
from bot.models.share import SharePost
from bot.privacy.views import FORGET_CANCEL_ACTION, FORGET_CONFIRM_ACTION, MY_DATA_FILENAME
from tests.emulator.state import TEAM_ID
from tests.harness import text_of
from tests.privacy.test_forget_me import FORGET, KEEP, OTHER_TEAM, populate, snapshot
from tests.questionnaire.conftest import ADA, CHANNEL, WEEK1, Members, make_cohort, prompts_of, tick_questionnaire
from tests.share.conftest import SHARE, Channel, deliver

STUDYBOT = Path(sys.executable).parent / "studybot"


async def test_privacy_says_in_plain_words_what_is_stored_and_why(bot):
    await bot.slash("privacy")
    said = text_of(await bot.reply())
    for words in ("questionnaire answers", "What you share", "study group", "does not store your name",
                  "/study my-data", "/study forget-me"):
        assert words in said


async def test_my_data_dms_a_json_file_of_everything_stored_about_the_member(bot, emulator):
    emulator.workspace.add_user(FORGET, "fran")
    await populate(bot.db)
    await bot.slash("my-data", user=FORGET)
    said = text_of(await bot.reply())
    completed = emulator.calls_to("files.completeUploadExternal")
    assert len(completed) == 1 and completed[0].args["channel_id"] == "D" + FORGET[1:]
    files = completed[0].args["files"]
    file_id = (json.loads(files) if isinstance(files, str) else files)[0]["id"]
    data = json.loads(emulator.uploads[file_id]["data"])
    assert emulator.uploads[file_id]["filename"] == MY_DATA_FILENAME
    assert data["member"] == FORGET and data["workspace"] == TEAM_ID
    tables = data["tables"]
    assert {"answers", "share_posts", "share_reactions", "share_replies", "group_members", "group_invites",
            "outbound_messages", "share_posts.history_reply_users", "slack_installations"} <= set(tables)
    rows = [row for name, rows in tables.items() if "." not in name for row in rows]
    assert all(row["team_id"] == TEAM_ID for row in rows)  # the same id in another workspace is someone else
    assert KEEP not in json.dumps({k: v for k, v in tables.items() if "." not in k and k != "outbound_messages"})
    assert "\"bot_token\"" not in json.dumps(tables) and "\"bot_refresh_token\"" not in json.dumps(tables)
    records = sum(len(v) for v in tables.values())
    assert f"({records} records)" in said


async def test_forget_me_asks_first_then_deletes_and_says_what_it_cannot(bot):
    await populate(bot.db)
    before = await snapshot(bot.db)
    await bot.slash("forget-me", user=FORGET)
    asked = await bot.reply()
    buttons = [e["action_id"] for b in asked["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert buttons == [FORGET_CONFIRM_ACTION, FORGET_CANCEL_ACTION]
    await bot.click(FORGET_CANCEL_ACTION, "cancel", user=FORGET)
    assert (await bot.reply())["text"] == "Nothing was deleted." and await snapshot(bot.db) == before

    await bot.click(FORGET_CONFIRM_ACTION, "forget", user=FORGET)
    done = await bot.reply()
    after = await snapshot(bot.db)
    assert done["replace_original"] is True
    assert "Done: studybot deleted" in done["text"] and "your own messages in Slack" in done["text"]
    assert "that you installed studybot" in done["text"]
    gone = sum(len(before[t]) - len(after[t]) for t in before if t != "forgotten_members")  # which gains one
    assert len(after["forgotten_members"]) == len(before["forgotten_members"]) + 1
    assert gone > 0 and f"deleted {gone} records" in done["text"]
    assert any(row["user_id"] == FORGET for row in after["answers"] if row["team_id"] == OTHER_TEAM)


async def test_organizers_forget_a_member_from_the_command_line(bot, database_url):
    await populate(bot.db)
    await bot.create_cohort(name="second", organizers=[FORGET])
    environment = {**os.environ, "SLACK_APP_TOKEN": "", "SLACK_BOT_TOKEN": "xoxb-test", "DATABASE_URL": database_url}
    process = await asyncio.create_subprocess_exec(
        str(STUDYBOT), "member", "forget", FORGET, "--team", TEAM_ID, "--yes", env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    printed = out.decode()
    assert "deleted" in printed and f"about {FORGET}" in printed and "organizer role in second" in printed
    assert "  answers: 1" in printed
    async with bot.db.session() as session:
        left = await session.scalars(select(Answer.user_id).where(Answer.team_id == TEAM_ID))
        assert FORGET not in set(left)


async def test_a_message_deleted_in_slack_loses_its_stored_text(bot, emulator, clock):
    emulator.workspace.add_user(ADA, "ada")
    emulator.workspace.add_channel(CHANNEL, "fastbook-2026", members={ADA})
    emulator.workspace.add_channel(SHARE, "share-your-work", members={ADA})
    await make_cohort(bot, questions=1, per_day=None, share_channel_id=SHARE)
    await tick_questionnaire(bot, WEEK1)
    prompt = (await prompts_of(bot))[1]
    members = Members(bot, emulator)
    answer = await members.reply(ADA, prompt.ts, "my secret first try")
    share = Channel(emulator, clock)
    post = share.post(ADA, "look at my notebook https://example.com/nb")
    await deliver(bot, share.events)
    await members.delete(answer)
    await deliver(bot, [share.delete(post)])
    async with bot.db.session() as session:
        answers = (await session.scalars(select(Answer))).all()
        posts = (await session.scalars(select(SharePost))).all()
    assert [(a.deleted, a.text) for a in answers] == [(True, "")]
    assert [(p.deleted, p.text, p.links) for p in posts] == [(True, "", [])]
