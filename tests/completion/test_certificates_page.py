"""The public verification page: accessible, self-contained, escaped; 404 alike for revoked, forgotten,
unknown and forged codes; the member's name hidden on request (issue 24)."""
from __future__ import annotations

import pytest

from bot.completion.certificate_page import NOT_FOUND
from bot.completion.issuing import revoke
from bot.privacy.forget import forget_member
from tests.completion.certs import (
    M2,
    Page,
    certificates,
    four_week_cohort,
    get,
    in_week,
)

HOSTILE = '<img src=x onerror="alert(1)">Ada & "Bob" </title><script>alert(2)</script>'


@pytest.fixture
async def issued(cbot, emulator, done):  # type: ignore[no-untyped-def]
    emulator.workspace.add_user("U5", HOSTILE)
    cohort = await four_week_cohort(cbot)
    done.set("U1", 3)
    done.set("U5", 4)
    await cbot.tick(in_week(cohort, 3))
    return cohort, await certificates(cbot)


async def test_the_page_confirms_the_certificate_accessibly_and_loads_nothing(cbot, issued):
    _cohort, rows = issued
    status, html, headers = await get(cbot, f"/certificates/{rows['U1'].code}")
    assert status == 200 and headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    page = Page(html)
    assert page.named("html") == [{"lang": "en"}]
    assert page.title == "Certificate of completion — Deep Learning for Coders with fastai and PyTorch"
    assert page.h1 == ["Certificate of completion"]
    assert [tag for tag, _ in page.tags if tag in ("main", "dl", "dt", "dd", "footer")].count("dt") == 6
    assert page.named("main") and page.named("dl")
    assert page.named("script") == [] and page.named("img") == [] and page.named("link") == []
    assert not [attrs for _tag, attrs in page.tags if {"src", "href", "srcset", "action"} & set(attrs)]
    assert not [attrs for _tag, attrs in page.tags if any(name.startswith("on") for name in attrs)]
    assert "url(" not in html and "@import" not in html and "http://" not in html and "https://" not in html
    words = page.words
    for expected in ("Awarded to ada", "Book Deep Learning for Coders with fastai and PyTorch",
                     "Study group fastbook", "Dates 3 March 2026 – 31 March 2026", "Chapters done 3 of 4 chapters",
                     "Issued 19 March 2026", "This certificate is valid"):
        assert expected in words


async def test_a_hostile_name_is_text_on_the_page(cbot, issued):
    _cohort, rows = issued
    status, html, _headers = await get(cbot, f"/certificates/{rows['U5'].code}")
    assert status == 200
    page = Page(html)
    assert page.named("script") == [] and page.named("img") == []
    assert f"Awarded to {' '.join(HOSTILE.split())}" in page.words  # shown as the member wrote it, inert
    assert page.title.startswith("Certificate of completion")


async def test_a_member_hides_and_shows_their_name(cbot, issued):
    _cohort, rows = issued
    await cbot.slash("certificate name off", user="U1")
    assert (await cbot.reply())["text"] == "Your certificate's public page now says \"a member\" instead of your name."
    _status, html, _headers = await get(cbot, f"/certificates/{rows['U1'].code}")
    assert "Awarded to a member" in Page(html).words and "ada" not in html
    await cbot.slash("certificate name on", user="U1")
    await cbot.reply()
    _status, html, _headers = await get(cbot, f"/certificates/{rows['U1'].code}")
    assert "Awarded to ada" in Page(html).words


async def test_bad_certificate_commands_change_nothing(cbot, issued):
    await cbot.slash("certificate name maybe", user="U1")
    assert (await cbot.reply())["text"].startswith("Usage: `/study certificate name off`")
    await cbot.slash("certificate name off", user=M2)  # no certificate
    assert "You don't have a certificate yet" in (await cbot.reply())["text"]
    assert all(row.show_name for row in (await certificates(cbot)).values())


async def test_revoked_forgotten_unknown_and_forged_codes_all_get_the_same_plain_404(cbot, issued):
    cohort, rows = issued
    real = rows["U1"].code
    forged = real[:-1] + ("A" if real[-1] != "A" else "B")
    await revoke(cbot.db, cohort, ["U1"], cbot.clock.now())
    await forget_member(cbot.db, cbot.team_id, "U5", cbot.clock.now())
    answers = [await get(cbot, f"/certificates/{code}") for code in (
        real, rows["U5"].code, "A" * 22, forged, "x", "..%2F..%2Fetc", "%3Cscript%3E" * 3)]
    assert [(status, body) for status, body, _ in answers] == [(404, NOT_FOUND)] * len(answers)
    assert "U5" not in await certificates(cbot)
    status, _html, _headers = await get(cbot, f"/certificates/{forged}/")
    assert status == 404
