"""The syllabus: what a cohort studies — the book's or course's chapters, their links and their questions.

- `schema.py`, `file.py`: the syllabus file (YAML): its shape as pydantic models (and JSON Schema), and reading
  one with every problem reported by line; `find_syllabus` takes a built-in name or a path.
- `fastbook.py`, `data/fastbook.yaml`: the built-in syllabus, the fastai book (facts only: its questions are
  not licensed for redistribution and are imported from the organizer's checkout).
- `notebook.py`, `mrkdwn.py`, `importer.py`: reading questionnaires from notebooks, and the Markdown-to-mrkdwn
  rendering every question goes through (pure: files in, question texts out).
- `align.py`, `store.py`: storing a syllabus and its questions on a cohort (the database's `Chapter` and
  `Question` rows) without losing an answer.
"""
