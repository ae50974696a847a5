"""The questionnaire: chapter questions posted as prompts, answers collected from their threads,
and each member's record (progress, their answers as Markdown, exports and stats for organizers)."""
