"""Which stored question each question of a re-imported syllabus file is, so answers stay with their question.

Answers, posted prompts and their send-once keys are keyed by (chapter, position), so a position never moves.
The new list is aligned with the chapter's current questions by text: an unchanged question keeps its
position, an edited one (a text replaced in place) keeps its position with the new text, a removed one is
retired, and an added one takes a retired position whose text comes back or else the next unused position
(so it is asked after the chapter's earlier questions).
"""
from __future__ import annotations

from collections.abc import Sequence
from difflib import SequenceMatcher


def align(current: Sequence[tuple[int, str]], retired: Sequence[tuple[int, str]],
          texts: Sequence[str]) -> list[tuple[int, str]]:
    """(position, text) for each of `texts`, in order; `current`/`retired` are the stored (position, text)."""
    old = [text for _, text in current]
    placed: list[tuple[int, str] | None] = [None] * len(texts)
    added: list[int] = []
    for kind, i1, i2, j1, j2 in SequenceMatcher(None, old, list(texts), autojunk=False).get_opcodes():
        kept = min(i2 - i1, j2 - j1) if kind != "insert" else 0
        for offset in range(kept):  # equal, or edited in place
            placed[j1 + offset] = (current[i1 + offset][0], texts[j1 + offset])
        added += range(j1 + kept, j2)
    taken = {position for position, _ in current} | {position for position, _ in retired}
    revivable = {text: position for position, text in retired}
    next_position = max(taken, default=0) + 1
    for index in added:
        position = revivable.pop(texts[index], None)
        if position is None:
            position, next_position = next_position, next_position + 1
        placed[index] = (position, texts[index])
    return [item for item in placed if item is not None]
