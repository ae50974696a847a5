"""`/study my-data`: everything stored about a member, as a JSON file in a DM from the bot."""
from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from slack_sdk.web.async_client import AsyncWebClient

from bot.database import Database
from bot.privacy.records import rows_naming
from bot.privacy.views import MY_DATA_FILENAME, my_data_comment


async def member_data(db: Database, team_id: str, user_id: str, now: datetime) -> dict[str, Any]:
    async with db.session() as session:
        tables = await rows_naming(session, team_id, user_id)
    return {"member": user_id, "workspace": team_id, "exported_at": now.isoformat(), "tables": tables}


def as_json(data: dict[str, Any]) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True, default=str)


async def send_my_data(db: Database, client: AsyncWebClient, command: str, *, team_id: str, user_id: str,
                       now: datetime) -> int:
    """DM the member their data as a file; the number of records in it."""
    data = await member_data(db, team_id, user_id, now)
    records = sum(len(rows) for rows in data["tables"].values())
    dm = (await client.conversations_open(users=user_id))["channel"]["id"]
    await client.files_upload_v2(
        channel=dm, filename=MY_DATA_FILENAME, title=MY_DATA_FILENAME, content=as_json(data),
        initial_comment=my_data_comment(command, records),
    )
    return records
