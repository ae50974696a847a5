"""Bookkeeping that makes the bot safe to restart, retry and replicate."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from bot.models.base import Base, TeamScoped


class ProcessedEvent(TeamScoped, Base):
    """The inbox: one acked request, written before its ack (`pending`, with its payload in `body`) and
    `done` once its listener finished (`bot.dedup`). `event_id` is the event's own id — a redelivery finds
    the row and is dropped — or a generated key for a request that is no event. A `pending` row whose
    lease ran out is run again by the drain; `attempts` counts the runs, `failed` means given up.
    Rows written by features as claims of their own (an AMA click) are `done` from the start.
    """

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("team_id", "event_id"),
                      Index("ix_processed_events_pending", "status", "received_at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_id: Mapped[str] = mapped_column(String(64))
    received_at: Mapped[datetime] = mapped_column(index=True)  # when received, or last taken over
    status: Mapped[str] = mapped_column(String(16), server_default="done")  # pending | done | failed
    kind: Mapped[str | None] = mapped_column(String(64))  # bot.metrics.listener_of: `event:message`, `action:<id>`
    body: Mapped[str | None] = mapped_column(Text)  # the payload as JSON, until done
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")


class JobRun(TeamScoped, Base):
    """One occurrence of one scheduled job for one scope (usually a cohort).

    The unique key is the lock: two processes ticking at once both try to
    insert, one wins, the other sees the conflict and moves on.
    """

    __tablename__ = "job_runs"
    __table_args__ = (UniqueConstraint("team_id", "job", "scope", "occurrence"),
                      Index("ix_job_runs_scope", "job", "scope", "status"),  # each tick: a job's runs per cohort
                      Index("ix_job_runs_purge", "status", "due_at"))  # housekeeping's purge of old runs

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(64))
    occurrence: Mapped[str] = mapped_column(String(64))
    due_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(16))  # running | done | skipped | failed
    claimed_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    detail: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(32))  # the run holding the lease; every update checks it
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    retry_at: Mapped[datetime | None]  # a failed run is not retried before this (capped backoff)


class OutboundMessage(TeamScoped, Base):
    """A message the bot posts on its own initiative, keyed so it is posted once.

    `pending` rows older than a lease are retried after a crash; `sent` rows
    carry the Slack `ts`, which later features use to map replies back.
    """

    __tablename__ = "outbound_messages"
    __table_args__ = (UniqueConstraint("team_id", "key"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(191))
    channel_id: Mapped[str] = mapped_column(String(32))
    thread_ts: Mapped[str | None] = mapped_column(String(32))
    ts: Mapped[str | None] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16))  # pending | sent | failed | unclear
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    claimed_at: Mapped[datetime]
    first_claimed_at: Mapped[datetime | None]  # where a recovery lookup starts: no attempt posted earlier
    sent_at: Mapped[datetime | None]
    error: Mapped[str | None] = mapped_column(Text)
    owner: Mapped[str | None] = mapped_column(String(32))


class DirectChannel(TeamScoped, Base):
    """The bot's DM with one member: its `D…` id (a DM is read by that id, never the user's), kept from the
    first post's answer or `conversations.open`; and whether the member can't be reached (`unreachable`: the
    error Slack gave, such as `user_disabled`; cleared by the next DM that gets through)."""

    __tablename__ = "direct_channels"
    __table_args__ = (UniqueConstraint("team_id", "user_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str | None] = mapped_column(String(32))
    unreachable: Mapped[str | None] = mapped_column(String(64))
    unreachable_since: Mapped[datetime | None]
