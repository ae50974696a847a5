"""`studybot certificates list|issue|revoke COHORT [--member U…]`: organizers and certificates of completion."""
from __future__ import annotations

from typing import Any

import click

from bot.blocks import counted
from bot.cohorts.store import pick_cohort
from bot.completion.certificates import certificates_of, link_for, rule_of, summary_of
from bot.completion.issuing import HandIssued, Sending, issue_by_hand, revoke
from bot.errors import StudyError
from bot.main.cli.common import CliError, echo_json, run
from bot.runtime import Runtime
from bot.settings import require
from bot.slack_ids import parse_user_ids

TEAM = click.option("--team", "team_id", metavar="T…", help="The workspace (when two have a cohort of that name).")
MEMBERS = click.option("--member", "members", multiple=True, metavar="U…",
                       help="A member (repeat, or separate ids with commas).")


@click.group("certificates")
def certificates_group() -> None:
    """Certificates of completion: who has one, issue one by hand, revoke one."""


def _members(members: tuple[str, ...]) -> list[str] | None:
    if not members:
        return None
    try:
        return parse_user_ids(" ".join(members))
    except ValueError as error:
        raise CliError(str(error)) from None


@certificates_group.command("list")
@click.argument("cohort_name", metavar="COHORT")
@MEMBERS
@TEAM
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def list_command(cohort_name: str, members: tuple[str, ...], team_id: str | None, as_json: bool) -> None:
    """The cohort's certificates (issued and revoked), with their links, and the counts."""
    wanted = _members(members)

    async def work(runtime: Runtime) -> tuple[list[dict[str, Any]], str]:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team_id, cohort_name)
            rows = await certificates_of(session, cohort)
            summary = await summary_of(session, cohort, runtime.clock.now())
        listed = [{"member": row.user_id, "name": row.display_name, "name_shown": row.show_name,
                   "chapters_done": row.chapters_done, "issued_at": row.issued_at.isoformat(),
                   "by_hand": row.by_hand, "sent": row.notified_at is not None,
                   "revoked_at": row.revoked_at.isoformat() if row.revoked_at else None,
                   "link": link_for(runtime.settings.public_url, row.code)}
                  for row in rows if wanted is None or row.user_id in wanted]
        counts = (f"{cohort.name}: {counted(summary.issued, 'certificate')} issued, {summary.revoked} revoked, "
                  f"{counted(summary.qualifying, 'member')} meeting the rule without one yet "
                  f"(rule: {rule_of(cohort)}, counted until {summary.window})")
        return listed, counts

    listed, counts = run(work)
    if as_json:
        echo_json({"summary": counts, "certificates": listed})
        return
    click.echo(counts)
    for item in listed:
        state = f"revoked {item['revoked_at'][:10]}" if item["revoked_at"] else "valid"
        extra = ", by hand" if item["by_hand"] else ""
        click.echo(f"  {item['member']}  {item['name']}  {item['chapters_done']} chapters  issued "
                   f"{item['issued_at'][:10]}  {state}{extra}  {item['link']}")


@certificates_group.command("issue")
@click.argument("cohort_name", metavar="COHORT")
@MEMBERS
@TEAM
def issue_command(cohort_name: str, members: tuple[str, ...], team_id: str | None) -> None:
    """Issue certificates now (each member gets the DM): to the members named — below the rule too — or,
    without --member, to everyone meeting the rule who has none."""
    wanted = _members(members)

    async def work(runtime: Runtime) -> list[HandIssued]:
        require(runtime.settings, "slack_bot_token")
        now = runtime.clock.now()
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team_id, cohort_name)
        try:
            return await issue_by_hand(runtime.db, runtime.client_for(cohort.team_id), cohort, wanted, now,
                                       sending=Sending(runtime.settings.public_url, runtime.settings.command))
        except ValueError as error:
            raise StudyError(str(error)) from None

    results = run(work)
    if not results:
        click.echo("No member meets the rule without a certificate: nothing issued.")
    for item in results:
        if item.outcome == "has-one":
            click.echo(f"{item.user_id}: already has a certificate; nothing issued")
        elif item.outcome == "below-rule":
            click.echo(f"{item.user_id}: issued by hand below the rule ({item.done} of {item.need} chapters done)")
        else:
            click.echo(f"{item.user_id}: issued ({item.done} chapters done)")


@certificates_group.command("revoke")
@click.argument("cohort_name", metavar="COHORT")
@MEMBERS
@TEAM
def revoke_command(cohort_name: str, members: tuple[str, ...], team_id: str | None) -> None:
    """Revoke members' certificates: their pages answer 404 and none is issued to them again on its own."""
    wanted = _members(members)
    if not wanted:
        raise CliError("name the members whose certificates to revoke: --member U…")

    async def work(runtime: Runtime) -> dict[str, bool]:
        async with runtime.db.session() as session:
            cohort = await pick_cohort(session, team_id, cohort_name)
        return await revoke(runtime.db, cohort, wanted, runtime.clock.now())

    for user_id, revoked in run(work).items():
        click.echo(f"{user_id}: revoked" if revoked else f"{user_id}: no valid certificate; nothing changed")


def register(cli: click.Group) -> None:
    cli.add_command(certificates_group)


