"""Tokens encrypted at rest with Fernet, so a database dump without the key reveals no token.

STUDYBOT_ENCRYPTION_KEY holds one or more Fernet keys separated by commas, newest first: new
ciphertext always uses the first, and any of them decrypts. Rotating a key is therefore: put the new
key in front, restart, run `studybot keys rotate` (re-encrypts every row with the new key), then drop
the old key from the setting.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Dialect, Text, TypeDecorator

from bot.errors import StudyError

if TYPE_CHECKING:  # bot.database imports the models, which use this module's column type
    from cryptography.fernet import MultiFernet

    from bot.database import Database

# cryptography is imported when a token is first encrypted or decrypted (~0.25 s of start-up otherwise,
# and memory held by every process that never touches a workspace's tokens).


class EncryptionKeyError(StudyError):
    """The encryption key is missing or malformed (a sentence for the operator)."""


def new_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


class TokenCipher:
    def __init__(self, keys: str | None) -> None:
        parts = [part.strip() for part in (keys or "").split(",") if part.strip()]
        if not parts:
            raise EncryptionKeyError("STUDYBOT_ENCRYPTION_KEY is not set: generate one with `studybot keys new`")
        from cryptography.fernet import Fernet, MultiFernet

        try:
            self._fernet: MultiFernet = MultiFernet([Fernet(part.encode()) for part in parts])
        except ValueError:
            raise EncryptionKeyError("STUDYBOT_ENCRYPTION_KEY: expected Fernet keys (32 url-safe base64 bytes),"
                                     " comma-separated") from None

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, ciphertext: str) -> str:
        from cryptography.fernet import InvalidToken

        try:
            return self._fernet.decrypt(ciphertext.encode()).decode()
        except InvalidToken:
            raise EncryptionKeyError("a stored token cannot be decrypted with STUDYBOT_ENCRYPTION_KEY"
                                     " (wrong or dropped key?)") from None

    def rotate(self, ciphertext: str) -> str:
        """The same secret, encrypted with the newest key."""
        return self._fernet.rotate(ciphertext.encode()).decode()


class EncryptedToken(TypeDecorator[str]):
    """A Text column whose values are encrypted on the way in and decrypted on the way out."""

    impl = Text
    cache_ok = False  # bound to one cipher instance

    def __init__(self, cipher: TokenCipher) -> None:
        super().__init__()
        self.cipher = cipher

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.cipher.encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else self.cipher.decrypt(value)


async def rotate_stored_tokens(db: Database, cipher: TokenCipher) -> int:
    """Re-encrypt every stored token with the newest key; the number of tokens re-encrypted.

    Reads the tables' raw ciphertext (the model tables, not the store's decrypting copies), so it
    works whichever of the configured keys each token was written with.
    """
    from sqlalchemy import select, update

    from bot.models.workspaces import TOKEN_COLUMNS, slack_bots, slack_installations

    rotated = 0
    async with db.session() as session:
        for table in (slack_installations, slack_bots):
            columns = sorted(TOKEN_COLUMNS & set(table.c.keys()))
            for row in (await session.execute(select(table.c.id, *(table.c[c] for c in columns)))).all():
                values = {c: cipher.rotate(row._mapping[c]) for c in columns if row._mapping[c]}
                if values:
                    await session.execute(update(table).where(table.c.id == row.id).values(**values))
                    rotated += len(values)
    return rotated
