"""Commitments: "I'll finish chapter N by <day>", and one kind question at the deadline."""
