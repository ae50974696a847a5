"""Calendar feeds (.ics): one per cohort, one private one per member."""
