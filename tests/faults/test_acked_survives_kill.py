"""The same burst as test_acked_survives_crash, sent to a real `studybot serve` that is then `kill -9`ed.

The restarted `serve` drains the inbox on start; a request whose effects landed before the kill but whose
done mark did not is run again, harmlessly. Only the wait for the lease is not real: the test moves
the pending rows' time back past it (time is injected, never slept).
"""
from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
from datetime import UTC, datetime

from sqlalchemy import func, select, update

from bot.dedup import PROCESSING_LEASE
from bot.models import ProcessedEvent
from tests.cli.test_serve import STUDYBOT, free_port, wait_until_healthy
from tests.faults.test_acked_survives_crash import _burst, _recorded, _set_up, table
from tests.harness import BOT_TOKEN, SIGNING_SECRET


async def _serve(emulator, database_url, port, tmp_path):  # type: ignore[no-untyped-def]
    env = {**os.environ, "SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET,
           "SLACK_API_URL": emulator.url, "DATABASE_URL": database_url, "SLACK_APP_TOKEN": "",
           "STUDYBOT_TICK_SECONDS": "3600"}
    return await asyncio.create_subprocess_exec(
        str(STUDYBOT), "serve", "--http", "--port", str(port), "--host", "127.0.0.1",
        env=env, cwd=tmp_path, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def _pending(bot) -> int:  # type: ignore[no-untyped-def]
    async with bot.db.session() as session:
        return int(await session.scalar(select(func.count()).select_from(ProcessedEvent).where(
            ProcessedEvent.status == "pending")) or 0)


async def test_nothing_acked_is_lost_when_serve_is_killed_right_after_its_acks(bot, emulator, database_url, tmp_path):
    prompts, question_id, post = await _set_up(bot, emulator)
    before = await _recorded(bot)
    port = free_port()
    remote = dataclasses.replace(bot, server=dataclasses.replace(bot.server, port=port))
    process = await _serve(emulator, database_url, port, tmp_path)
    try:
        await wait_until_healthy(bot.session, f"http://127.0.0.1:{port}/healthz", process)
        # `/study ask` left out: serve runs on the real clock, long after this cohort's live sessions
        # (test_acked_survives_crash covers it).
        requests = [(kind, send) for kind, send in _burst(remote, emulator, prompts, question_id, post)
                    if not kind.startswith("command")]
        *burst, (uninstall_kind, uninstall) = requests
        replies = await asyncio.gather(*(send() for _kind, send in burst))
        replies.append(await uninstall())
        process.send_signal(signal.SIGKILL)
    finally:
        if process.returncode is None:
            process.kill()
        await process.wait()
    assert [reply.status for reply in replies] == [200] * len(requests)
    acked = {kind: 0 for kind in before if not kind.startswith("command")}
    for kind, _send in requests:
        acked[kind] += 1
    pending_at_kill = await _pending(bot)
    async with bot.db.session() as session:
        await session.execute(update(ProcessedEvent).where(ProcessedEvent.status == "pending").values(
            received_at=datetime.now(UTC) - PROCESSING_LEASE * 2))  # serve's clock is the real one

    process = await _serve(emulator, database_url, port, tmp_path)
    try:
        await wait_until_healthy(bot.session, f"http://127.0.0.1:{port}/healthz", process)
        for _ in range(600):
            if not await _pending(bot):
                break
            await asyncio.sleep(0.05)  # a real process: its drain runs on its own
        await asyncio.sleep(0.5)  # the last listener's effects are committed before its row is done
    finally:
        process.terminate()
        await process.wait()
    after = await _recorded(bot)
    recorded = {kind: after[kind] - before[kind] for kind in acked}
    assert recorded == acked, f"{pending_at_kill} of {len(requests)} not done at the kill\n{table(acked, recorded)}"
