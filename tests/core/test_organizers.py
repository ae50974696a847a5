"""The one organizer check every feature uses."""
from __future__ import annotations

from types import SimpleNamespace

from bot.organizers import OrganizerCheck


class Directory:
    def __init__(self, users: dict[str, dict]) -> None:
        self.users = users
        self.lookups: list[str] = []

    async def __call__(self, team_id: str, user_id: str) -> dict:
        self.lookups.append(user_id)
        return self.users[user_id]


class Ticker:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_cohort_organizers_admins_and_owners_may_others_may_not():
    directory = Directory({"UADMIN": {"is_admin": True}, "UOWNER": {"is_owner": True}, "UMEMBER": {}, "UORG": {}})
    check = OrganizerCheck(directory)
    cohort = SimpleNamespace(organizers=["UORG"])
    assert await check.allows("T1", "UORG", cohort)
    assert await check.allows("T1", "UADMIN", cohort)
    assert await check.allows("T1", "UOWNER", None)
    assert not await check.allows("T1", "UMEMBER", cohort)
    assert "UORG" not in directory.lookups  # a cohort organizer needs no Slack call


async def test_admin_flags_are_cached_briefly():
    directory = Directory({"UADMIN": {"is_admin": True}})
    ticker = Ticker()
    check = OrganizerCheck(directory, ttl=300, monotonic=ticker)
    await check.is_workspace_admin("T1", "UADMIN")
    ticker.now = 299
    await check.is_workspace_admin("T1", "UADMIN")
    assert directory.lookups == ["UADMIN"]
    ticker.now = 301
    await check.is_workspace_admin("T1", "UADMIN")
    assert directory.lookups == ["UADMIN", "UADMIN"]


async def test_the_runtime_check_asks_slack_users_info(bot, emulator):
    assert await bot.runtime.organizers.allows(bot.team_id, "UADMIN", None)
    assert not await bot.runtime.organizers.allows(bot.team_id, "U1", None)
    assert [c.args["user"] for c in emulator.calls_to("users.info")] == ["UADMIN", "U1"]
