"""Configuration from the environment (and a `.env` file).

Everything the bot needs to start is read here once, so a missing or malformed
setting stops start-up with one line that names the variable, instead of a
traceback from deep inside the first request.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SettingsError(Exception):
    """A setting is missing or malformed; the message is meant for a human."""


# Without DATABASE_URL: `studybot.db` in the folder the command runs in, named by its absolute path in
# every message (README, "The database").
DEFAULT_DATABASE_URL = "sqlite:///studybot.db"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # Secrets are SecretStr: they print as '**********' in reprs, logs and errors; `secret()` unwraps one.
    slack_bot_token: SecretStr | None = Field(default=None, validation_alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(default=None, validation_alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field(default="https://slack.com/api/", validation_alias="SLACK_API_URL")
    database_url: str = Field(default=DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL", repr=False)
    command: str = Field(default="/study", validation_alias="STUDYBOT_COMMAND")
    port: int = Field(default=3000, validation_alias="PORT", ge=1, le=65535)
    auto_migrate: bool = Field(default=True, validation_alias="STUDYBOT_AUTO_MIGRATE")
    tick_seconds: int = Field(default=30, validation_alias="STUDYBOT_TICK_SECONDS", ge=1, le=3600)
    # Slack's rate limits run this many times faster: only for an emulator that enforces them scaled in time.
    slack_rate_scale: float = Field(default=1.0, validation_alias="STUDYBOT_SLACK_RATE_SCALE", ge=1.0, le=10_000)
    log_level: str = Field(default="INFO", validation_alias="LOG_LEVEL")
    # Many workspaces (OAuth): used when both are set and SLACK_BOT_TOKEN is not.
    slack_client_id: str | None = Field(default=None, validation_alias="SLACK_CLIENT_ID")
    slack_client_secret: SecretStr | None = Field(default=None, validation_alias="SLACK_CLIENT_SECRET")
    encryption_key: SecretStr | None = Field(default=None, validation_alias="STUDYBOT_ENCRYPTION_KEY")
    uninstall_grace_days: int = Field(default=30, validation_alias="STUDYBOT_UNINSTALL_GRACE_DAYS", ge=0, le=3650)
    log_format: str = Field(default="text", validation_alias="LOG_FORMAT", pattern="^(text|json)$")
    # Members' data: clear the text members wrote (answers, share posts, AMA questions) of cohorts that
    # finished more than this many months ago; unset (the default) keeps it until they delete it.
    purge_text_after_months: int | None = Field(default=None, validation_alias="STUDYBOT_PURGE_TEXT_AFTER_MONTHS",
                                                ge=1, le=1200)
    # The bot's public address (https://studybot.example.org), for links people open outside Slack: the calendar
    # feeds (`GET /calendar/….ics` on PORT) and certificates' pages. Unset: `/study calendar` says to set it, and
    # a certificate gives its code and path only.
    public_url: str | None = Field(default=None, validation_alias="STUDYBOT_PUBLIC_URL")

    @property
    def oauth_mode(self) -> bool:
        """Many workspaces installed through OAuth, instead of one workspace's SLACK_BOT_TOKEN."""
        return bool(self.slack_client_id and self.slack_client_secret and not self.slack_bot_token)

    @field_validator("slack_bot_token")
    @classmethod
    def _bot_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value and not value.get_secret_value().startswith("xoxb-"):
            raise ValueError("expected a bot token starting with xoxb-")
        return value if value and value.get_secret_value() else None

    @field_validator("slack_app_token")
    @classmethod
    def _app_token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value and not value.get_secret_value().startswith("xapp-"):
            raise ValueError("expected an app-level token starting with xapp- (Socket Mode)")
        return value if value and value.get_secret_value() else None

    @field_validator("slack_signing_secret")
    @classmethod
    def _signing_secret_present(cls, value: SecretStr | None) -> SecretStr | None:
        return value if value and secret(value) else None

    @field_validator("purge_text_after_months", mode="before")
    @classmethod
    def _empty_is_off(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("public_url")
    @classmethod
    def _public_url_shape(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not re.fullmatch(r"https?://[^/\s?#]+(/[^\s?#]*)?", value):
            raise ValueError("expected the address the bot is reachable at, like https://studybot.example.org")
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _api_url_shape(cls, value: str) -> str:
        if not re.match(r"^https?://[^/\s]+", value):
            raise ValueError("expected a URL like https://slack.com/api/")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url", mode="before")
    @classmethod
    def _empty_is_default(cls, value: object) -> object:
        return DEFAULT_DATABASE_URL if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _database_url_shape(cls, value: str) -> str:
        if not re.match(r"^(sqlite|postgres|postgresql)(\+\w+)?://", value):
            raise ValueError("expected sqlite:///path.db or postgresql://user@host/db")
        return _absolute_sqlite_url(value) if value.startswith("sqlite") else value

    def masked_database_url(self) -> str:
        return mask_url(self.database_url)

    @field_validator("command")
    @classmethod
    def _command_shape(cls, value: str) -> str:
        if not re.fullmatch(r"/[a-z0-9_-]{1,31}", value):
            raise ValueError('expected a slash command like "/study"')
        return value


def _absolute_sqlite_url(value: str) -> str:
    """A SQLite URL naming its file by its absolute path (a relative one is taken from the current folder),
    so every message names the file used; refused when it names no file or a folder that doesn't exist."""
    from sqlalchemy.engine import make_url

    try:
        url = make_url(value)
    except Exception:  # sqlalchemy's ArgumentError, said as one line
        raise ValueError("expected sqlite:///path.db or postgresql://user@host/db") from None
    name = url.database or ""
    if name in ("", ":memory:") or name.startswith("file::memory:") or "mode=memory" in value:
        raise ValueError(f"{value} names no file: an in-memory database vanishes when the command ends; "
                         "name a file, like sqlite:////var/lib/studybot/studybot.db")
    path = Path(name).expanduser().resolve()
    if not path.parent.is_dir():
        raise ValueError(f"the folder {path.parent} for the SQLite file does not exist: create it, or fix the path")
    return url.set(database=str(path)).render_as_string(hide_password=False)


def secret(value: SecretStr | str | None) -> str | None:
    """The plain text of a secret, only where it is handed to Slack or the database."""
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def mask_url(url: str) -> str:
    """A database URL fit for a log line or an error: the password replaced by ***."""
    return re.sub(r"(://[^:/@\s]*:)[^@\s]*@", r"\1***@", url)


def load_settings(**overrides: Any) -> Settings:
    """Read the settings, turning pydantic's report into one readable line."""
    try:
        return Settings(**overrides)
    except ValidationError as error:
        first = error.errors()[0]
        field = first["loc"][0] if first["loc"] else "?"
        name = _env_name(str(field))
        raise SettingsError(f"{name}: {first['msg'].removeprefix('Value error, ')}") from None


def _env_name(field: str) -> str:
    info = Settings.model_fields.get(field)
    alias = info.validation_alias if info else None
    return alias if isinstance(alias, str) else field.upper()


def require(settings: Settings, *names: str) -> None:
    """Fail with one line when a setting a command needs is absent."""
    for name in names:
        if not getattr(settings, name):
            raise SettingsError(f"{_env_name(name)} is not set: see .env.example")
