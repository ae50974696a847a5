"""`studybot doctor` and `/study admin doctor` on a healthy set-up and on each organizer mistake, through the emulator:
one line per check, the fix on every ✗, exit status 1, and each Slack question asked once."""
from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from bot.database import database_name
from tests.cohorts.test_channel_checks import create, slack
from tests.cohorts.test_cli import in_thread
from tests.emulator.state import BOT_USER_ID
from tests.harness import text_of

NOTEBOOKS = Path(__file__).parents[1] / "fixtures" / "notebooks"
NOW = "2027-01-04T12:00:00Z"  # the day before week 1 opens (Tue 2027-01-05 18:00 London)
HEALTHY = [
    "✓ database: reachable and migrated",
    "✓ Slack token: valid for Study (T0STUDY01) as @studybot",
    "✓ scopes: every scope in manifest.yml is granted",
    "✓ fastbook: #fastbook (C0STUDY001): the bot is a member",
    "✓ fastbook: #share (C0SHARE001): the bot is a member",
    "✓ fastbook: syllabus: 78 questions imported",
    "✓ fastbook: next posts (Europe/London): week 1 opens Tue 2027-01-05 18:00; week 1 reminder (24h)"
    " Wed 2027-01-06 19:00; week 1 reminder (1h) Thu 2027-01-07 18:00",
]


async def healthy(database_url: str, emulator, *, syllabus: bool = True) -> None:  # type: ignore[no-untyped-def]
    emulator.workspace.add_channel("C0SHARE001", "share", members={"U1"})
    made = await in_thread(database_url, *create("--share-channel", "C0SHARE001", "--session", "thu 19:00"),
                           **slack(emulator))
    assert made.exit_code == 0, made.stderr
    if syllabus:
        assert (await in_thread(database_url, "syllabus", "import", str(NOTEBOOKS))).exit_code == 0
    emulator.calls.clear()


async def doctor(database_url: str, emulator):  # type: ignore[no-untyped-def]
    """The CLI's report, its database line checked for the database's name and then shown without it."""
    return unnamed(await in_thread(database_url, "doctor", "--now", NOW, **slack(emulator)), database_url)


def unnamed(result, database_url: str):  # type: ignore[no-untyped-def]
    named = f"database {database_name(database_url)}:"
    assert named in result.stdout.splitlines()[0]
    return SimpleNamespace(exit_code=result.exit_code, stderr=result.stderr,
                           stdout=result.stdout.replace(named, "database:", 1))


async def test_a_healthy_setup_is_all_ticks(database_url, emulator):
    await healthy(database_url, emulator)
    result = await doctor(database_url, emulator)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == HEALTHY
    assert emulator.calls_to("conversations.join") == []  # the doctor only looks


async def test_each_mistake_is_one_line_with_its_fix(database_url, emulator):
    await healthy(database_url, emulator, syllabus=False)
    emulator.workspace.channels["C0STUDY001"].is_archived = True
    emulator.workspace.channels["C0SHARE001"].members.discard(BOT_USER_ID)
    emulator.scopes.remove("channels:join")
    result = await doctor(database_url, emulator)
    assert result.exit_code == 1
    assert result.stdout.splitlines() == [
        "✓ database: reachable and migrated",
        "✓ Slack token: valid for Study (T0STUDY01) as @studybot",
        "✗ scopes: missing channels:join — fix: update the app from manifest.yml and reinstall it"
        " (OAuth & Permissions → Reinstall to Workspace)",
        "✗ fastbook: #fastbook (C0STUDY001) is archived — fix: unarchive #fastbook, or give the cohort another"
        " channel with `studybot cohort set`",
        "✗ fastbook: #share (C0SHARE001): the bot is not a member — fix: type `/invite @studybot` in #share",
        "✗ fastbook: syllabus: no questions imported — fix: `studybot syllabus import PATH/TO/fastbook"
        " --cohort fastbook`",
        HEALTHY[-1],
    ]
    assert [c.method for c in emulator.calls] == ["auth.test", "conversations.info", "conversations.info"]


async def test_a_missing_channel_and_a_revoked_token(database_url, emulator):
    await healthy(database_url, emulator)
    del emulator.workspace.channels["C0SHARE001"]
    missing = await doctor(database_url, emulator)
    assert missing.exit_code == 1
    assert ("✗ fastbook: C0SHARE001: no such channel, or a private one the bot is not in — fix: check the id"
            " (channel details → About); for a private channel type `/invite @studybot` in it") in missing.stdout
    emulator.calls.clear()
    emulator.token_revoked = True
    revoked = await doctor(database_url, emulator)
    assert revoked.exit_code == 1
    assert revoked.stdout.splitlines()[:2] == [
        "✓ database: reachable and migrated",
        "✗ Slack token: refused (invalid_auth) — fix: copy the Bot User OAuth Token (xoxb-…) from the app's"
        " OAuth & Permissions page into SLACK_BOT_TOKEN, reinstalling the app if it was removed",
    ]
    assert "✓ fastbook: syllabus: 78 questions imported" in revoked.stdout  # what needs no Slack is still checked
    assert "– fastbook: channels: not checked (the Slack token does not work)" in revoked.stdout
    assert [c.method for c in emulator.calls] == ["auth.test"]  # asked once: no retries, no channel calls


async def test_what_could_not_be_checked_says_so_instead_of_a_tick(database_url, emulator):
    await healthy(database_url, emulator)
    emulator.scopes = None  # Slack did not say which scopes the token has
    result = await doctor(database_url, emulator)
    assert result.exit_code == 0, result.stderr  # nothing is known to be wrong
    assert result.stdout.splitlines()[2] == "– scopes: not checked (Slack did not list them)"


async def test_an_unmigrated_database_says_to_upgrade(tmp_path, emulator):
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    result = unnamed(await in_thread(url, "doctor", **slack(emulator)), url)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == ("✗ database: reachable, but the schema is behind the code"
                                             " — fix: run `studybot db upgrade`")


async def test_organizers_run_it_from_slack(bot, emulator, clock):
    from datetime import UTC, datetime

    from tests.rhythm.support import cohort_in_channel

    clock.set(datetime(2026, 3, 1, 12, tzinfo=UTC))
    await cohort_in_channel(bot, emulator, "london", "CLONDON001", timezone="Europe/London",
                            start="2026-03-03 18:00", organizers=["UORGANIZE1"])
    await bot.slash("admin doctor", user="UORGANIZE1", channel="CLONDON001")
    shown = text_of(await bot.reply())
    assert "*1 thing to fix:*" in shown
    assert "✓ london: #london (CLONDON001): the bot is a member" in shown
    assert "✗ london: syllabus: no questions imported" in shown
    assert "✗ scopes" not in shown and "✓ scopes: every scope in manifest.yml is granted" in shown
    await bot.slash("admin doctor", user="U1", channel="CLONDON001")
    assert text_of(await bot.reply()).startswith("Sorry, only this cohort's organizers")


def test_the_doctor_expects_exactly_the_manifests_scopes():
    from bot.doctor.checks import MANIFEST_SCOPES
    from tests.emulator.server import manifest_scopes

    assert MANIFEST_SCOPES == set(manifest_scopes())
