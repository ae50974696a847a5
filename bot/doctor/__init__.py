"""`studybot doctor` and `/study admin doctor`: is everything a cohort needs in place, and if not, what to do."""
