"""Installed workspaces: slack-sdk's installation and OAuth-state tables, and each workspace's status.

The installation tables are slack-sdk's own (`AsyncSQLAlchemyInstallationStore` reads and writes them),
built here on our metadata so Alembic owns them like every other table. Token columns are widened to
Text because they hold Fernet ciphertext, which is longer than the token (see bot/workspaces/secrets.py).
`slack_oauth_states` is the one table without a team_id: a state is issued before any workspace is known.
"""
from __future__ import annotations

from datetime import datetime

from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base

TOKEN_COLUMNS = frozenset({"bot_token", "bot_refresh_token", "user_token", "user_refresh_token"})

slack_installations = SQLAlchemyInstallationStore.build_installations_table(Base.metadata, "slack_installations")
slack_bots = SQLAlchemyInstallationStore.build_bots_table(Base.metadata, "slack_bots")
slack_oauth_states = SQLAlchemyOAuthStateStore.build_oauth_states_table(Base.metadata, "slack_oauth_states")
for _table in (slack_installations, slack_bots):
    for _name in TOKEN_COLUMNS & set(_table.c.keys()):
        _table.c[_name].type = Text()


class Workspace(Base):
    """A workspace the bot serves; `stopped_at` set means uninstalled or revoked: no work, and at `purge_at`
    (the grace period set when it stopped) all its data is deleted."""

    __tablename__ = "workspaces"

    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    installed_at: Mapped[datetime]
    stopped_at: Mapped[datetime | None]
    stop_reason: Mapped[str | None] = mapped_column(String(40))
    purge_at: Mapped[datetime | None]
