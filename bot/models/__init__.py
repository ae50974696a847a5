"""All tables. Alembic reads `Base.metadata` from here, so every model module is imported.

Core tables are re-exported by name; feature tables are imported from their own
module (`from bot.models.answers import Answer`).
"""
from bot.models import (  # noqa: F401  (feature tables, for Alembic)
    ama,
    buddies,
    certificates,
    commitments,
    completion,
    feeds,
    groups,
    home,
    privacy,
    questionnaire,
    recordings,
    retention,
    sessions,
    share,
    workspaces,
)
from bot.models.base import Base, TeamScoped
from bot.models.cohorts import Cohort
from bot.models.core import DirectChannel, JobRun, OutboundMessage, ProcessedEvent
from bot.models.syllabus import Chapter, Question

__all__ = [
    "Base", "TeamScoped", "Cohort", "DirectChannel", "JobRun", "OutboundMessage", "ProcessedEvent", "Chapter",
    "Question",
]
