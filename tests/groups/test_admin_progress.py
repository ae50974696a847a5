"""`/study admin groups form` in Slack: one message, put up at once, updated in place, ending with the outcome."""
from __future__ import annotations

from tests.groups.helpers import ORGANIZER, groups
from tests.groups.test_failures import four_clusters
from tests.harness import text_of


async def test_a_slow_formation_shows_one_note_updated_in_place_with_progress_then_the_outcome(bot, emulator):
    await four_clusters(bot, emulator)
    emulator.fail_next("conversations.create", delay=2.0)  # slower than the ack window: replies go via respond()
    await bot.slash("admin groups form", user=ORGANIZER)
    first = await bot.reply()
    assert first["_key"] != "ack" and text_of(first).startswith("Forming 4 groups and setting up their channels…")
    assert first.get("replace_original") in (False, None)
    await emulator.wait_for(lambda e: any("Formed 4 study groups" in text_of(r) for r in e.responses), timeout=15)
    posts = [r for r in emulator.responses if r["_key"] == first["_key"]]
    assert 3 <= len(posts) <= 5  # the note, updates at a third and two thirds, the outcome: within Slack's five
    assert all(p.get("replace_original") is True for p in posts[1:])
    assert [text_of(p).split("…")[1].strip()[:9] for p in posts[1:-1]] == ["2 of 4 do", "3 of 4 do"]
    on_screen = emulator.shown[first["_key"]]
    assert len(on_screen) == 1 and "Formed 4 study groups for 20 members" in text_of(on_screen[0])


async def test_a_quick_formation_answers_once_in_the_ack(bot, emulator):
    await four_clusters(bot, emulator)
    await bot.slash("admin groups form", user=ORGANIZER)
    only = await bot.reply()
    assert only["_key"] == "ack" and "Formed 4 study groups for 20 members" in text_of(only)
    await bot.settle()
    assert len(emulator.responses) == 20 + 1  # the joins' replies, then this one


async def test_the_preview_in_slack_changes_nothing_and_its_button_forms_the_groups_in_place(bot, emulator):
    await four_clusters(bot, emulator)
    calls_before = len(emulator.calls)
    await bot.slash("admin groups preview --min 4 --max 6", user=ORGANIZER)
    shown = await bot.reply()
    assert text_of(shown).startswith("Dry run for fastbook (first formation): 4 groups, 20 members, 0 waiting")
    assert "meet " in text_of(shown) and "would wait: nobody" in text_of(shown)
    [button] = [e for b in shown["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert button["value"] == "1:4:6"
    assert len(emulator.calls) == calls_before and await groups(bot) == []

    refused = await bot.click(button["action_id"], button["value"], user="U00001")  # a member, not an organizer
    assert refused.status == 200
    await bot.settle()
    assert "only this cohort's organizers" in text_of(await bot.reply()) and await groups(bot) == []

    await bot.click(button["action_id"], button["value"], user=ORGANIZER)
    await bot.settle()
    posts = [r for r in emulator.responses if r["_key"] == emulator.responses[-1]["_key"]]
    assert [p.get("replace_original") for p in posts] == [True] * len(posts) and 2 <= len(posts) <= 5
    assert text_of(posts[0]).startswith("Forming 4 groups")
    assert "Formed 4 study groups for 20 members" in text_of(posts[-1])
    assert len(await groups(bot)) == 4 and len(emulator.calls_to("conversations.create")) == 4


async def test_a_slow_formation_stopped_by_slack_replaces_its_note_with_the_reason(bot, emulator):
    await four_clusters(bot, emulator)
    emulator.fail_next("conversations.create", delay=2.0)  # the note goes out via respond() after the ack
    emulator.fail_next("conversations.create", error="restricted_action")  # then the second channel is refused
    await bot.slash("admin groups form", user=ORGANIZER)
    first = await bot.reply()
    assert text_of(first).startswith("Forming 4 groups")
    await bot.settle()
    posts = [r for r in emulator.responses if r["_key"] == first["_key"]]
    assert len(posts) == 2 and posts[1].get("replace_original") is True
    [on_screen] = emulator.shown[first["_key"]]
    assert "Slack refused to create #" in text_of(on_screen) and "restricted_action" in text_of(on_screen)
