"""Cohorts: creating and finding them, and their calendar of weeks."""
