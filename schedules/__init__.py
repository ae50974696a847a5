"""Scheduled jobs, one module per feature, each exposing `JOBS`.

Both the in-process scheduler of `studybot serve` and `studybot tick` run
exactly `all_jobs()`, through `bot.scheduling.tick`.
"""
from __future__ import annotations

from schedules import (
    ama,
    buddies,
    certificates,
    commitments,
    groups,
    housekeeping,
    privacy,
    questionnaire,
    recordings,
    retention,
    rhythm,
    sessions,
    share_digest,
    workspaces,
)

MODULES = (rhythm, sessions, questionnaire, groups, share_digest, ama, retention, commitments, buddies, housekeeping,
           privacy, workspaces, recordings, certificates)


def all_jobs() -> list:
    return [job for module in MODULES for job in module.JOBS]
