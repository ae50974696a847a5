"""Organizers and certificates: `studybot certificates list|issue|revoke`, `/study admin certificates`;
a member's my-data includes their certificate and forget-me removes it (issue 24)."""
from __future__ import annotations

import json

from bot.privacy.export import member_data
from bot.privacy.forget import forget_member
from tests.cohorts.test_channel_checks import slack
from tests.cohorts.test_cli import in_thread
from tests.completion.certs import (
    M2,
    M3,
    M4,
    ORGANIZER,
    certificates,
    dms_to,
    four_week_cohort,
    get,
    in_week,
)


async def test_issue_by_hand_below_the_rule_list_and_revoke(cbot, emulator, done, database_url):
    cohort = await four_week_cohort(cbot)
    done.set(M3, 3)
    done.set(M2, 1)
    await cbot.tick(in_week(cohort, 3))
    env = {**slack(emulator), "STUDYBOT_PUBLIC_URL": "https://study.example.org"}
    issued = await in_thread(database_url, "certificates", "issue", "fastbook", "--member", M2, "--member", M3,
                             **env)
    assert issued.exit_code == 0, issued.stderr
    assert issued.stdout == (f"{M2}: issued by hand below the rule (1 of 3 chapters done)\n"
                             f"{M3}: already has a certificate; nothing issued\n")
    rows = await certificates(cbot)
    assert rows[M2].by_hand and not rows[M3].by_hand
    assert len(dms_to(emulator, M2)) == 1 and len(dms_to(emulator, M3)) == 1 and len(emulator.uploads) == 2
    assert "organizers of fastbook awarded you a certificate" in dms_to(emulator, M2)[0].args["text"]  # not "finished"
    assert "you finished" in dms_to(emulator, M3)[0].args["text"]

    listed = await in_thread(database_url, "certificates", "list", "fastbook", "--json", **env)
    assert listed.exit_code == 0, listed.stderr
    data = json.loads(listed.stdout)
    assert [(c["member"], c["chapters_done"], c["by_hand"], c["revoked_at"]) for c in data["certificates"]] == [
        (M3, 3, False, None), (M2, 1, True, None)]
    assert data["certificates"][0]["link"] == f"https://study.example.org/certificates/{rows[M3].code}"
    assert data["summary"].startswith("fastbook: 2 certificates issued, 0 revoked, 0 members meeting the rule")

    revoked = await in_thread(database_url, "certificates", "revoke", "fastbook", "--member", f"{M2},{M4}", **env)
    assert revoked.stdout == f"{M2}: revoked\n{M4}: no valid certificate; nothing changed\n"
    assert (await get(cbot, f"/certificates/{rows[M2].code}"))[0] == 404
    text = await in_thread(database_url, "certificates", "list", "fastbook", **env)
    assert "1 certificate issued, 1 revoked" in text.stdout and "revoked 20" in text.stdout

    done.set(M2, 4)  # a revoked certificate is not issued again on its own
    await cbot.tick(in_week(cohort, 4))
    assert (await certificates(cbot))[M2].revoked_at is not None and len(dms_to(emulator, M2)) == 1


async def test_issue_without_members_takes_everyone_meeting_the_rule_and_bad_input_is_one_line(
        cbot, emulator, done, database_url):
    await four_week_cohort(cbot)  # before week 1: the job would not look yet
    done.set(M3, 3)
    issued = await in_thread(database_url, "certificates", "issue", "fastbook", **slack(emulator))
    assert issued.stdout == f"{M3}: issued (3 chapters done)\n"
    assert len(dms_to(emulator, M3)) == 1
    again = await in_thread(database_url, "certificates", "issue", "fastbook", **slack(emulator))
    assert again.stdout == "No member meets the rule without a certificate: nothing issued.\n"
    for args, error in (
        (("revoke", "fastbook"), "studybot: name the members whose certificates to revoke: --member U…\n"),
        (("issue", "nope"), 'studybot: No cohort named "nope". See: studybot cohort list\n'),
        (("issue", "fastbook", "--member", "U0NOBODY99"), "studybot: Slack doesn't know member U0NOBODY99 in this "
                                                         "workspace\n"),
    ):
        result = await in_thread(database_url, "certificates", *args, **slack(emulator))
        assert (result.exit_code, result.stderr) == (1, error)
    assert sorted(await certificates(cbot)) == [M3]


async def test_the_admin_summary_is_for_organizers(cbot, emulator, done):
    cohort = await four_week_cohort(cbot)
    done.set("U1", 3)
    await cbot.tick(in_week(cohort, 3))
    done.set(M2, 3)  # meets the rule since the last tick
    await cbot.slash("admin certificates", user=ORGANIZER)
    reply = await cbot.reply()
    assert reply["response_type"] == "ephemeral"
    assert reply["text"].splitlines()[:4] == [
        "*Certificates for fastbook*", "• 1 certificate issued", "• 0 certificates revoked",
        "• 1 member meeting the rule without one yet (issued at the next tick)"]
    assert "The rule: 3 of 4 chapters done, counted until 14 April 2026." in reply["text"]
    await cbot.slash("admin certificates", user="U1")
    assert (await cbot.reply())["text"].startswith("Sorry, only this cohort's organizers")


async def test_my_data_includes_the_certificate_and_forget_me_removes_it(cbot, emulator, done):
    cohort = await four_week_cohort(cbot)
    done.set("U1", 3)
    await cbot.tick(in_week(cohort, 3))
    code = (await certificates(cbot))["U1"].code
    data = await member_data(cbot.db, cbot.team_id, "U1", cbot.clock.now())
    [row] = data["tables"]["certificates"]
    assert (row["code"], row["display_name"], row["chapters_done"]) == (code, "ada", 3)
    forgotten = await forget_member(cbot.db, cbot.team_id, "U1", cbot.clock.now())
    assert forgotten.deleted["certificates"] == 1
    assert (await get(cbot, f"/certificates/{code}"))[0] == 404
    await cbot.tick(in_week(cohort, 4))  # they still "meet the rule" in the script: none is re-created
    assert await certificates(cbot) == {} and len(dms_to(emulator, "U1")) == 1
