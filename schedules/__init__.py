"""Scheduled jobs, one module each. A module exposes `JOBS` (a list of job objects).

Both the in-process scheduler of `studybot serve` and `studybot tick` run
exactly these, through `bot.scheduling.tick`.
"""
from __future__ import annotations

import sys

from bot.discovery import import_all


def all_jobs() -> list:
    jobs = []
    for module in import_all(sys.modules[__name__]):
        jobs.extend(getattr(module, "JOBS", []))
    return jobs
