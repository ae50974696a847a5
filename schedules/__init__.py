"""Scheduled jobs, one module per feature, each exposing `JOBS`.

Both the in-process scheduler of `studybot serve` and `studybot tick` run
exactly `all_jobs()`, through `bot.scheduling.tick`.
"""
from __future__ import annotations

from schedules import (
    ama,
    buddies,
    groups,
    housekeeping,
    privacy,
    questionnaire,
    retention,
    rhythm,
    share_digest,
    workspaces,
)

MODULES = (rhythm, questionnaire, groups, share_digest, ama, retention, buddies, housekeeping, privacy, workspaces)


def all_jobs() -> list:
    return [job for module in MODULES for job in module.JOBS]
