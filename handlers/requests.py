"""The request a button or a modal submission hands its handler, and the one place a `StudyError` from it
becomes the member's friendly sentence — the shape `CommandRequest` gives the slash command.

`@action(...)` wraps `async def handler(request: ActionRequest)` into a Bolt listener that acks first;
`@submission(...)` wraps `async def handler(submission: ViewSubmission)`, which acks itself (a modal's
answer rides in its ack). Bolt picks a listener's arguments by their names, so the wrappers keep
Bolt's names and are not `functools.wraps`-ed (Bolt would read the handler's own signature).
"""
from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from slack_bolt.async_app import AsyncAck, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import StudyError
from bot.runtime import Runtime

Blocks = list[dict[str, Any]]
T = TypeVar("T")


@dataclass
class Interaction:
    """What every click and submission carries: who, in which workspace, and the bot's runtime."""

    runtime: Runtime
    client: AsyncWebClient
    body: dict[str, Any]
    team_id: str

    @property
    def user_id(self) -> str:
        return str(self.body["user"]["id"])

    @property
    def now(self) -> datetime:
        return self.runtime.clock.now()


@dataclass
class ActionRequest(Interaction):
    """One click (a button, a menu, a message shortcut), already acknowledged."""

    respond: AsyncRespond

    @property
    def action(self) -> dict[str, Any]:
        """The clicked element (a shortcut has none: don't ask)."""
        action: dict[str, Any] = self.body["actions"][0]
        return action

    @property
    def value(self) -> str:
        return str(self.action.get("value", ""))

    async def reply(self, text: str, blocks: Blocks | None = None) -> None:
        """A new ephemeral message under the clicked one."""
        await self.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=False)

    async def update(self, text: str, blocks: Blocks | None = None) -> None:
        """Replace the (ephemeral) message the click came from."""
        await self.respond(text=text, blocks=blocks, response_type="ephemeral", replace_original=True)

    async def tell(self, text: str) -> None:
        """Ephemeral in the channel when the click came from a message; a DM when it came from the
        App Home or a modal, where Slack gives no `response_url`."""
        if self.body.get("response_url"):
            await self.reply(text)
        else:
            await self.client.chat_postMessage(channel=self.user_id, text=text)

    async def open(self, view: dict[str, Any]) -> None:
        """Open a modal on this click's trigger."""
        await self.client.views_open(trigger_id=self.body["trigger_id"], view=view)


ActionHandler = Callable[[ActionRequest], Awaitable[None]]
ActionListener = Callable[[AsyncAck, dict[str, Any], AsyncWebClient, AsyncBoltContext, AsyncRespond], Awaitable[None]]
Say = Callable[[ActionRequest, str], Awaitable[None]]


def action(*, on_error: Say = ActionRequest.tell) -> Callable[[ActionHandler], ActionListener]:
    """A Bolt listener that acks, runs the handler, and says a `StudyError`'s sentence with `on_error`."""

    def decorate(handler: ActionHandler) -> ActionListener:
        async def listener(ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext,
                           respond: AsyncRespond) -> None:
            await ack()
            request = ActionRequest(runtime=context["runtime"], client=client, body=body, team_id=context.team_id or "",
                                    respond=respond)
            try:
                await handler(request)
            except StudyError as error:
                await on_error(request, str(error))

        listener.__name__ = listener.__qualname__ = handler.__name__
        return listener

    return decorate


@dataclass
class ViewSubmission(Interaction):
    """One modal submission, not yet acknowledged: the first of `close`, `refuse` or `show` acks it, later
    ones do nothing (the modal is gone)."""

    ack_with: AsyncAck
    view: dict[str, Any]
    acked: bool = False

    @property
    def values(self) -> dict[str, Any]:
        """The form's `state.values`, by block id."""
        values: dict[str, Any] = (self.view.get("state") or {}).get("values") or {}
        return values

    @property
    def private_metadata(self) -> str:
        return str(self.view.get("private_metadata", ""))

    async def close(self) -> None:
        await self._ack()

    async def refuse(self, errors: Mapping[str, str]) -> None:
        """Keep the modal open, each sentence under its block."""
        await self._ack(response_action="errors", errors=dict(errors))

    async def show(self, view: dict[str, Any]) -> None:
        """Replace the modal with `view`."""
        await self._ack(response_action="update", view=view)

    async def tell(self, text: str, blocks: Blocks | None = None) -> None:
        """A DM to the member (a closed modal has nowhere else to speak)."""
        await self.client.chat_postMessage(channel=self.user_id, text=text, blocks=blocks)

    async def in_time(self, work: Awaitable[T], budget_seconds: float) -> T:
        """`work`'s result, acked by the caller when it came within `budget_seconds` (Slack drops a submission
        not acked in 3 s); past the budget the modal is closed at once and the work finishes after."""
        task = asyncio.ensure_future(work)
        try:
            return await asyncio.wait_for(asyncio.shield(task), budget_seconds)
        except TimeoutError:
            await self.close()
            return await task

    async def _ack(self, **answer: Any) -> None:
        if self.acked:
            return
        self.acked = True
        await self.ack_with(**answer)


SubmissionHandler = Callable[[ViewSubmission], Awaitable[None]]
SubmissionListener = Callable[[AsyncAck, dict[str, Any], dict[str, Any], AsyncWebClient, AsyncBoltContext],
                              Awaitable[None]]
Refusal = Callable[[StudyError], Mapping[str, str]]


def under(block_id: str) -> Refusal:
    """A refusal shown under one block of the modal."""
    return lambda error: {block_id: str(error)}


def submission(*, refusal: Refusal | None = None) -> Callable[[SubmissionHandler], SubmissionListener]:
    """A Bolt listener for a modal's submission: a `StudyError` raised before the ack keeps the modal open
    with `refusal`'s sentences; one raised after it (or without a `refusal`) is the listener's failure."""

    def decorate(handler: SubmissionHandler) -> SubmissionListener:
        async def listener(ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], client: AsyncWebClient,
                           context: AsyncBoltContext) -> None:
            submitted = ViewSubmission(runtime=context["runtime"], client=client, body=body,
                                       team_id=context.team_id or "", ack_with=ack, view=view)
            try:
                await handler(submitted)
            except StudyError as error:
                if refusal is None or submitted.acked:
                    raise
                await submitted.refuse(refusal(error))

        listener.__name__ = listener.__qualname__ = handler.__name__
        return listener

    return decorate
