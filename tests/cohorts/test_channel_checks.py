"""`cohort create` / `cohort set` ask Slack first: each organizer mistake is refused (or fixed) at once,
in one line, with nothing stored and no retries — through the emulator."""
from __future__ import annotations

import json

from tests.cohorts.test_cli import count_cohorts, in_thread
from tests.emulator.state import BOT_USER_ID, TEAM_ID
from tests.harness import BOT_TOKEN

START = "2027-01-05 18:00"  # ahead of the real clock the CLI reads, and less than a year ahead


def create(*extra: str) -> list[str]:
    return ["cohort", "create", "fastbook", "--channel", "C0STUDY001", "--start", START,
            "--timezone", "Europe/London", "--team", TEAM_ID, *extra]


def slack(emulator) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_API_URL": emulator.url}


def without_bot(emulator, channel_id: str, name: str, *, private: bool = False):  # type: ignore[no-untyped-def]
    channel = emulator.workspace.add_channel(channel_id, name, members={"U1"}, is_private=private)
    channel.members.discard(BOT_USER_ID)
    return channel


async def test_a_missing_channel_is_refused_and_nothing_is_stored(database_url, emulator):
    result = await in_thread(database_url, *create("--share-channel", "C0NOPE0001"), **slack(emulator))
    assert result.exit_code == 1
    assert result.stderr == (
        "studybot: the bot cannot work in every channel, so nothing was changed: C0NOPE0001: no such channel, or a"
        " private one the bot is not in — fix: check the id (channel details → About); for a private channel type"
        " `/invite @studybot` in it\n")
    assert await count_cohorts(database_url) == 0
    assert [c.method for c in emulator.calls] == ["conversations.info", "conversations.info"]


async def test_the_bot_joins_a_public_channel_it_is_not_in(database_url, emulator):
    without_bot(emulator, "C0SHARE001", "share-your-work")
    result = await in_thread(database_url, *create("--share-channel", "C0SHARE001"), **slack(emulator))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == "studybot: #share-your-work (C0SHARE001): the bot joined it\n"
    assert BOT_USER_ID in emulator.workspace.channels["C0SHARE001"].members
    assert [c.args["channel"] for c in emulator.calls_to("conversations.join")] == ["C0SHARE001"]


async def test_without_channels_join_granted_it_says_what_to_type(database_url, emulator):
    without_bot(emulator, "C0SHARE001", "share-your-work")
    emulator.fail_next("conversations.join", error="missing_scope")
    result = await in_thread(database_url, *create("--share-channel", "C0SHARE001"), **slack(emulator))
    assert result.exit_code == 1
    assert "#share-your-work (C0SHARE001): the bot is not a member and could not join (missing_scope) — fix: type" \
           " `/invite @studybot` in #share-your-work" in result.stderr
    assert await count_cohorts(database_url) == 0


async def test_a_private_channel_needs_an_invite_and_the_bot_says_exactly_which(database_url, emulator):
    without_bot(emulator, "G0SECRET01", "organizers", private=True)
    result = await in_thread(database_url, *create("--questionnaire-channel", "G0SECRET01"), **slack(emulator))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert result.stderr.endswith("#organizers (G0SECRET01): the bot is not a member — fix: type"
                                  " `/invite @studybot` in #organizers\n")
    assert emulator.calls_to("conversations.join") == []
    assert await count_cohorts(database_url) == 0


async def test_an_archived_channel_is_refused(database_url, emulator):
    emulator.workspace.channels["C0STUDY001"].is_archived = True
    result = await in_thread(database_url, *create(), **slack(emulator))
    assert result.exit_code == 1
    assert "#fastbook (C0STUDY001) is archived — fix: unarchive #fastbook" in result.stderr
    assert await count_cohorts(database_url) == 0


async def test_a_revoked_token_is_refused_once_without_retries(database_url, emulator):
    emulator.token_revoked = True
    result = await in_thread(database_url, *create("--share-channel", "C0SHARE001"), **slack(emulator))
    assert result.exit_code == 1
    assert ("C0STUDY001: Slack refused the bot token (invalid_auth) — fix: copy the Bot User OAuth Token"
            in result.stderr)
    assert [c.method for c in emulator.calls] == ["conversations.info"]  # not the second channel, not again
    no_team = [a for a in create() if a not in ("--team", TEAM_ID)]
    learned = await in_thread(database_url, *no_team, **slack(emulator))
    assert learned.stderr == "studybot: Slack refused SLACK_BOT_TOKEN (invalid_auth); pass --team instead.\n"
    assert await count_cohorts(database_url) == 0


async def test_set_checks_only_the_channels_it_changes(database_url, emulator):
    assert (await in_thread(database_url, *create(), **slack(emulator))).exit_code == 0
    emulator.calls.clear()
    edited = await in_thread(database_url, "cohort", "set", "fastbook", "--weeks", "12", **slack(emulator))
    assert edited.exit_code == 0
    assert emulator.calls == []
    refused = await in_thread(database_url, "cohort", "set", "fastbook", "--channel", "C0NOPE0001", **slack(emulator))
    assert refused.exit_code == 1 and "C0NOPE0001: no such channel" in refused.stderr
    listed = json.loads((await in_thread(database_url, "cohort", "list", "--json")).stdout)
    assert (listed[0]["channel_id"], listed[0]["weeks"]) == ("C0STUDY001", 12)


async def test_without_a_token_the_channels_are_not_checked_and_it_says_so(database_url, emulator):
    result = await in_thread(database_url, *create())
    assert result.exit_code == 0
    assert result.stderr.startswith("studybot: warning: the channels were not checked (SLACK_BOT_TOKEN is not set)")


async def test_organizers_by_name_are_looked_up(database_url, emulator):
    result = await in_thread(database_url, *create("--organizers", "@Grace, @ada"), **slack(emulator))
    assert result.exit_code == 0, result.stderr
    listed = json.loads((await in_thread(database_url, "cohort", "list", "--json")).stdout)
    assert listed[0]["organizers"] == ["UADMIN", "U1"]
    unknown = await in_thread(database_url, "cohort", "set", "fastbook", "--organizers", "@nobody", **slack(emulator))
    assert unknown.exit_code == 1 and unknown.stderr.startswith("studybot: nobody in this workspace is called @nobody.")


async def test_a_start_in_the_past_needs_allow_past_and_a_far_one_a_confirmation(database_url, emulator):
    past = [a if a != START else "2025-01-07 18:00" for a in create()]
    refused = await in_thread(database_url, *past)
    assert refused.exit_code == 1
    assert refused.stderr.startswith("studybot: --start 2025-01-07 18:00 (Europe/London) is in the past: week 1 has"
                                     " already opened")
    assert (await in_thread(database_url, *past, "--allow-past")).exit_code == 0
    far = ["cohort", "create", "later", "--channel", "C0STUDY001", "--start", "2030-01-08 18:00",
           "--timezone", "PST", "--team", TEAM_ID]
    declined = await _typed(database_url, far, "n\n")
    assert declined.exit_code == 1 and "more than a year from now. Is that right?" in declined.stderr
    assert await count_cohorts(database_url) == 1
    accepted = await _typed(database_url, far, "y\n")
    assert accepted.exit_code == 0 and "America/Los_Angeles" in accepted.stdout  # the same parser as /study join


async def _typed(database_url: str, args: list[str], answer: str):  # type: ignore[no-untyped-def]
    import asyncio

    from click.testing import CliRunner

    from bot.main.cli import cli

    return await asyncio.to_thread(CliRunner().invoke, cli, args, input=answer,
                                   env={"DATABASE_URL": database_url, "SLACK_BOT_TOKEN": ""})
