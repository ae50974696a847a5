"""Keeping people in the group (issue 12): planning prompts and personal reminders, gentle nudges,
welcome backs, and the organizer's weekly picture (text, chart, CSV)."""
