"""Cohorts: creating and finding them, and their weeks (the pure arithmetic is `bot.calendar.weeks`)."""
