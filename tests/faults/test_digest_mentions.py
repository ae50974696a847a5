"""Fault scenario 6: a share post with <!channel> ends in the digest without pinging anyone.

The digest re-posts the first line of members' posts into the cohort channel; whatever
a member wrote there, the bot's message must notify nobody (issue 11, "What the bot re-posts").
"""
from __future__ import annotations

import re

from tests.harness import text_of
from tests.share.conftest import WEEK2_DIGEST, at, channel, cohort, digest_posts  # noqa: F401 - fixtures

# Anything Slack turns into a notification: special mentions, user groups, users.
PINGS = re.compile(r"<!(?:channel|here|everyone|subteam\^)[^>]*>|<@[UW][A-Z0-9]*(?:\|[^>]*)?>")


async def test_a_share_post_with_channel_ends_in_the_digest_without_pinging_anyone(
        bot, emulator, channel, cohort):  # noqa: F811 - pytest fixtures, imported above
    channel.post("UA", "<!channel> <!here> my bears notebook, thanks <@UB> and <!subteam^S0MODS|@mods>\nmore",
                 at(11, 9))
    channel.post("UC", "@everyone look: pets model", at(11, 10))
    await bot.tick(at=WEEK2_DIGEST)

    [main] = digest_posts(emulator)
    shown = text_of(main)
    member_lines = [line for line in shown.splitlines() if "bears notebook" in line or "pets model" in line]
    assert len(member_lines) == 2
    for line in member_lines:
        re_posted = line.split(" · by ")[0]  # the author credit after it is the bot's own mention
        assert PINGS.findall(re_posted) == [], re_posted
        assert not re.search(r"(?<![\w\u200b])@(channel|here|everyone)\b", re_posted), re_posted
    bears = next(line for line in member_lines if "bears" in line)
    assert "@\u200bchannel @\u200bhere my bears notebook, thanks @\u200bub and @\u200bmods" in bears
    assert emulator.calls_to("users.info")  # the name came from Slack
    assert not any("<!channel>" in str(call.args) or "<!here>" in str(call.args) for call in emulator.posted())
