"""Telling a member something after a button click, wherever the button was."""
from __future__ import annotations

from typing import Any


async def tell_member(body: dict[str, Any], client, respond, text: str) -> None:  # type: ignore[no-untyped-def]
    """Ephemeral in the channel when the click came from a message; a DM when it came from the
    App Home or a modal, where Slack gives no `response_url`."""
    if body.get("response_url"):
        await respond(text=text, response_type="ephemeral", replace_original=False)
    else:
        await client.chat_postMessage(channel=body["user"]["id"], text=text)
