"""`defuse_mentions`: member mrkdwn the bot posts again reads the same and notifies nobody."""
from __future__ import annotations

import pytest

from bot.blocks import defuse_mentions, mentioned_user_ids

NO_PING = "@\u200b"


@pytest.mark.parametrize(("member_text", "re_posted"), [
    ("<!channel> look", f"{NO_PING}channel look"),
    ("<!here|here> now", f"{NO_PING}here now"),
    ("<!everyone>", f"{NO_PING}everyone"),
    ("ask <!subteam^S0MODS|@mods>", f"ask {NO_PING}mods"),
    ("ask <!subteam^S0MODS>", f"ask {NO_PING}group"),
    ("plain @here and @channel typed", f"plain {NO_PING}here and {NO_PING}channel typed"),
    ("me@here.com stays", "me@here.com stays"),
])
def test_special_mentions_read_the_same_and_ping_nobody(member_text: str, re_posted: str) -> None:
    assert defuse_mentions(member_text) == re_posted


def test_user_mentions_become_names() -> None:
    names = {"UB": "Ada <Lovelace>"}
    assert defuse_mentions("thanks <@UB>!", names) == f"thanks {NO_PING}Ada &lt;Lovelace&gt;!"
    assert defuse_mentions("thanks <@UC|grace>", names) == f"thanks {NO_PING}grace"
    assert defuse_mentions("thanks <@UD>", names) == "thanks a member"


def test_links_channels_and_dates_are_kept() -> None:
    text = "<https://x.com|nb> in <#C1|general> on <!date^1392734382^{date}|Feb 18> &amp; more"
    assert defuse_mentions(text) == text


def test_mentioned_user_ids_in_order_without_repeats() -> None:
    assert mentioned_user_ids("<@UB> <@UC|c> <@UB> <!here> <#C1>") == ["UB", "UC"]
