"""The App Home: each member's dashboard (gathered in `dashboard`, drawn in `views`)."""
