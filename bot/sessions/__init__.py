"""The weekly live session: its join link, per-week moves and cancellations, RSVPs and recordings."""
