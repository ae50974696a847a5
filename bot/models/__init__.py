"""All tables. Import a model from here; Alembic reads `Base.metadata` from here too."""
from bot.models.base import Base, TeamScoped, utcnow
from bot.models.cohorts import Cohort
from bot.models.core import JobRun, OutboundMessage, ProcessedEvent

__all__ = ["Base", "TeamScoped", "utcnow", "Cohort", "JobRun", "OutboundMessage", "ProcessedEvent"]
