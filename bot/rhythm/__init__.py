"""The weekly chapter rhythm: which occurrences are due, the announcement and the
session reminders, and what organizers may change (pause, skip, re-run, session).

Services over the database; "now" is always passed in.
"""
