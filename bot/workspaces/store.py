"""slack-sdk's async SQLAlchemy installation store on our engine, with tokens encrypted at rest.

slack-sdk ships `AsyncSQLAlchemyInstallationStore` (and an OAuth-state store) for async engines, so we
use them as they are; the only change is that the store's copies of the tables (the same tables Alembic
created from bot.models.workspaces) carry an `EncryptedToken` type on the token columns. Saving an
installation also marks its workspace active again, so a re-install within the grace period resumes it.
"""
from __future__ import annotations

from slack_sdk.oauth.installation_store.models.installation import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import AsyncSQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import AsyncSQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table

from bot.clock import Clock
from bot.database import Database
from bot.models.workspaces import TOKEN_COLUMNS, slack_bots, slack_installations, slack_oauth_states
from bot.workspaces.lifecycle import mark_installed
from bot.workspaces.secrets import EncryptedToken, TokenCipher

OAUTH_STATE_SECONDS = 600


class EncryptedInstallationStore(AsyncSQLAlchemyInstallationStore):
    def __init__(self, client_id: str, db: Database, cipher: TokenCipher, clock: Clock) -> None:
        super().__init__(client_id=client_id, engine=db.engine)
        self.db, self.clock = db, clock
        self.metadata = MetaData()
        self.installations = _encrypted_copy(slack_installations, self.metadata, cipher)
        self.bots = _encrypted_copy(slack_bots, self.metadata, cipher)

    async def async_save(self, installation: Installation) -> None:
        await super().async_save(installation)
        if installation.team_id:
            await mark_installed(self.db, installation.team_id, self.clock.now())


def _encrypted_copy(table: Table, metadata: MetaData, cipher: TokenCipher) -> Table:
    copy = table.to_metadata(metadata)
    for name in TOKEN_COLUMNS & set(copy.c.keys()):
        copy.c[name].type = EncryptedToken(cipher)
    return copy


def oauth_state_store(db: Database) -> AsyncSQLAlchemyOAuthStateStore:
    store = AsyncSQLAlchemyOAuthStateStore(expiration_seconds=OAUTH_STATE_SECONDS, engine=db.engine)
    store.oauth_states = slack_oauth_states
    return store
