"""studybot's benchmarks: `python -m benchmarks [--quick] [--only NAME]` (see README.md here)."""
