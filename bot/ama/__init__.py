"""Questions for the live session (issue 13): ask, upvote, moderate and export, all inside Slack.

asking.py (ask, near-duplicates), voting.py (votes, reports), moderation.py (organizers),
member_board.py (`/study ama`), export.py (CSV/JSON, `/study admin ama`), top.py (top 10 at the
session's start), channel_board.py (which board, its thread), refresh.py (throttled message
updates), cards.py (what may be shown), views.py (Block Kit, ids, view-state readers).
"""
