"""The syllabus: the book's chapters and each chapter's questionnaire.

- `fastbook.py`: the built-in chapter list of the fastai book (numbers, titles, links; `BookChapter`).
- `notebook.py`, `mrkdwn.py`, `importer.py`: reading questionnaires from an organizer's own notebooks
  (pure: files in, question texts out). Questions are never shipped with the bot (the book's prose is not
  licensed for redistribution).
- `store.py`: storing them on a cohort (the database's `Chapter` and `Question` rows) without losing an answer.
"""
