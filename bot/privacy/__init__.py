"""Members' data: what is stored about a member, their copy of it, and forgetting them."""
