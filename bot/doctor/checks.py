"""The doctor's checks: the database, the bot token and its scopes, and each cohort's channels,
syllabus and next scheduled posts. Each check is one `Check` (✓ or ✗ and the fix, – when not checked);
the checks only read — they never join a channel or change a cohort.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import func, select

from bot.blocks import counted
from bot.cohorts.channels import SCOPE_FIX, TOKEN_FIX, check_channels
from bot.cohorts.store import active_cohorts
from bot.database import Database, pending_migrations, why_unopenable
from bot.direct_messages import unreachable_members
from bot.models import Cohort, Question
from bot.rhythm.occurrences import next_posts
from bot.syllabus.fastbook import BUILT_IN
from bot.syllabus.store import syllabus_about
from bot.workspaces.oauth import BOT_SCOPES

MANIFEST_SCOPES = frozenset(BOT_SCOPES)  # what manifest.yml asks for (tests/test_manifest.py keeps them equal)


@dataclass(frozen=True)
class Check:
    ok: bool  # nothing known to be wrong (so an unchecked thing does not fail the doctor)
    what: str
    fix: str | None = None
    checked: bool = True

    def line(self) -> str:
        mark = "✓" if self.ok and self.checked else "✗" if not self.ok else "–"
        return f"{mark} {self.what}" + (f" — fix: {self.fix}" if self.fix else "")


def not_checked(what: str, why: str) -> Check:
    """A check the doctor could not make: neither ✓ nor ✗."""
    return Check(True, f"{what}: not checked ({why})", checked=False)


async def database_checks(db: Database, label: str = "database") -> list[Check]:
    """The database's checks, under `label` (the CLI names the database there; Slack is not told)."""
    reason = await why_unopenable(db)
    if reason:
        return [Check(False, f"{label}: cannot open it ({reason})",
                      "check DATABASE_URL and that the database server is running")]
    if await pending_migrations(db):
        return [Check(False, f"{label}: reachable, but the schema is behind the code",
                      "run `studybot db upgrade`")]
    return [Check(True, f"{label}: reachable and migrated")]


async def token_checks(client: AsyncWebClient | None) -> tuple[list[Check], bool]:
    """The token (auth.test) and its scopes against the manifest's; the bool says whether Slack may be asked more."""
    if client is None:
        return [Check(False, "Slack token: SLACK_BOT_TOKEN is not set", "set it (see .env.example)")], False
    try:
        response = await client.auth_test()
    except SlackApiError as error:
        return [Check(False, f"Slack token: refused ({error.response.get('error')})", TOKEN_FIX)], False
    except (aiohttp.ClientError, TimeoutError) as error:
        return [Check(False, f"Slack token: cannot reach Slack ({error})",
                      "check the network and SLACK_API_URL")], False
    checks = [Check(True, f"Slack token: valid for {response.get('team')} ({response.get('team_id')})"
                          f" as @{response.get('user')}")]
    granted = response.headers.get("x-oauth-scopes") if response.headers else None
    if granted is None:
        checks.append(not_checked("scopes", "Slack did not list them"))
    else:
        missing = sorted(MANIFEST_SCOPES - {scope.strip() for scope in granted.split(",")})
        checks.append(Check(not missing, f"scopes: missing {', '.join(missing)}" if missing
                            else "scopes: every scope in manifest.yml is granted", SCOPE_FIX if missing else None))
    return checks, True


async def cohort_checks(db: Database, client: AsyncWebClient | None, cohort: Cohort, now: datetime) -> list[Check]:
    """The cohort's channels (when Slack may be asked), its syllabus, and its next scheduled posts."""
    label = f"{cohort.name}:"
    checks: list[Check] = []
    if client is not None:
        channels = [cohort.channel_id, cohort.questionnaire_channel_id, cohort.share_channel_id]
        for found in await check_channels(client, [c for c in channels if c], join=False):
            checks.append(Check(found.ok, f"{label} {found.said}", found.fix))
    else:
        checks.append(not_checked(f"{label} channels", "the Slack token does not work"))
    async with db.session() as session:
        questions = await session.scalar(select(func.count()).select_from(Question).where(
            Question.cohort_id == cohort.id, Question.retired.is_(False)))
        unreachable = await unreachable_members(session, cohort.team_id, cohort.id)
    if unreachable:
        who = ", ".join(f"{user}: {error}" for user, error in unreachable.items())
        checks.append(Check(False, f"{label} direct messages: could not reach {counted(len(unreachable), 'member')}"
                            f" ({who})",
                            "check they are still in the workspace (a deactivated member gets no messages); "
                            "everyone else gets theirs meanwhile"))
    about = syllabus_about(cohort)
    source = "PATH/TO/fastbook" if about["name"] in BUILT_IN else f"{about['name']}.yaml"
    checks.append(Check(True, f"{label} syllabus: {counted(questions, 'question')} imported") if questions else Check(
        False, f"{label} syllabus: no questions imported",
        f"`studybot syllabus import {source} --cohort {cohort.name}`"))
    upcoming = next_posts(cohort, now)
    if upcoming:
        zone = ZoneInfo(cohort.timezone)
        shown = "; ".join(f"{what} {when.astimezone(zone):%a %Y-%m-%d %H:%M}" for when, what in upcoming)
        checks.append(Check(True, f"{label} next posts ({cohort.timezone}): {shown}"))
    else:
        checks.append(Check(True, f"{label} next posts: none, every week is over"))
    return checks


async def run_doctor(db: Database, client: AsyncWebClient | None, now: datetime, *,
                     cohorts: list[Cohort] | None = None, database: bool = True,
                     database_label: str = "database") -> list[Check]:
    """Every check, in the order a person fixes things: database, token, then each cohort
    (`cohorts`, or every active one when the database could be read)."""
    checks = await database_checks(db, database_label) if database else []
    if cohorts is None:
        if not all(check.ok for check in checks):
            cohorts = []
        else:
            async with db.session() as session:
                cohorts = await active_cohorts(session)
    token, reachable = await token_checks(client)
    checks += token
    for cohort in cohorts:
        checks += await cohort_checks(db, client if reachable else None, cohort, now)
    if not cohorts and all(check.ok for check in checks[:1]):
        checks.append(Check(False, "cohorts: none yet",
                            "`studybot cohort create NAME --channel C… --start … --timezone …`"))
    return checks
