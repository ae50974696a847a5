"""Study buddies: exactly one partner, matched on a rolling basis, a weekly check-in."""
