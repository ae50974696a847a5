"""The questionnaire: chapter questions posted as prompts, answers collected from their threads,
and each member's record (progress, their answers as Markdown, exports and stats for organizers).

- `prompts.py`: releasing a week's questions as prompt messages, each exactly once.
- `thread_answers.py`: answers written in prompt threads (replies, edits, deletes), the `message` consumer.
- `private_answers.py`: answers saved from the private-answer modal.
- `counts.py`: the live "N members answered" on each prompt, throttled.
- `record.py`: a member's record read back: answers per question, progress, per-chapter stats.
- `member.py`: what a member asks for (`/study progress`, `answers`, `answer`), as replies to send.
- `views.py`: every message and modal, and every block/action/callback id with its reader.
"""
