"""Finishing the book: chapters done per member, the cohort's completion rule, certificates."""
