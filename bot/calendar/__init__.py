"""Time zones, places and the calendar of weeks: one concern, below the features that use it.

places.py (cities, countries, states → zones) · zones.py (reading a zone from what a member or organizer
types) · timeparse.py (the dates and times organizers type) · weeks.py (the pure week arithmetic).
"""
