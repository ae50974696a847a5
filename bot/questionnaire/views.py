"""Messages and views of the questionnaire: the prompt, the private-answer modal, a member's
progress, and their answers as Markdown DMs. Nothing here calls Slack.

This module owns every block id, action id and callback id of the questionnaire,
and reads back what Slack sends for them (the button's value, the modal's state).
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.blocks import (
    MAX_MESSAGE_BLOCKS,
    MAX_SECTION_TEXT,
    MAX_VIEW_BLOCKS,
    Block,
    button,
    context,
    counted,
    escape_mrkdwn,
    link,
    message,
    pack_lines,
    plain_text,
    section,
    shorten_mrkdwn,
    shorten_plain,
    slack_date,
    split_mrkdwn,
)
from bot.questionnaire.record import ChapterProgress

ANSWER_PRIVATELY_ACTION = "questionnaire_answer_privately"
PROMPT_ACTIONS_BLOCK = "questionnaire_prompt"
PRIVATE_ANSWERS_VIEW = "questionnaire_private_answers"
ANSWER_INPUT = "answer"
ANSWER_BLOCK_PREFIX = "q"  # one input block per question: "q1", "q2", …
MAX_INPUT_TEXT = 3000  # plain_text_input max_length
MAX_LABEL_TEXT = 2000
# Slack's markdown block takes 12,000 characters, counted across the whole message.
MAX_MARKDOWN_TEXT = 11_000
PROGRESS_BAR_CELLS = 10


@dataclass(frozen=True)
class PromptView:
    """What a prompt message shows; `question` is mrkdwn, `answered` the live count."""

    cohort_id: int
    chapter: int
    chapter_title: str | None
    position: int
    total: int
    question: str
    answered: int


def chapter_name(number: int, title: str | None) -> str:
    """"Chapter 4 · Under the Hood" (plain text; escape it for mrkdwn)."""
    return f"Chapter {number} · {title}" if title else f"Chapter {number}"


def answered_text(count: int) -> str:
    if count <= 0:
        return "No answers yet — be the first"
    return f"{counted(count, 'member')} answered"


def render_prompt(view: PromptView) -> dict[str, Any]:
    """One question as its own message: its thread collects the answers."""
    where = f"*{escape_mrkdwn(chapter_name(view.chapter, view.chapter_title))}* · Q{view.position} of {view.total}"
    question = view.question.strip() or "_(this question has no text)_"
    chunks = split_mrkdwn(question)[: MAX_MESSAGE_BLOCKS - 3]
    blocks: list[Block] = [context(where), *(section(chunk) for chunk in chunks)]
    blocks.append(context(f":speech_balloon: *Reply in this thread* to answer · {answered_text(view.answered)}"))
    blocks.append({"type": "actions", "block_id": PROMPT_ACTIONS_BLOCK, "elements": [
        button("Answer privately", ANSWER_PRIVATELY_ACTION, value=answer_button_value(view.cohort_id, view.chapter,
                                                                                       view.position))]})
    fallback = (f"Chapter {view.chapter}, Q{view.position} of {view.total}: {shorten_mrkdwn(question, 300)}"
                " — reply in this thread")
    return message(fallback, blocks)


def answer_button_value(cohort_id: int, chapter: int, position: int) -> str:
    """What the "Answer privately" button carries: which question's modal to open."""
    return f"{cohort_id}:{chapter}:{position}"


@dataclass(frozen=True)
class AnswerTarget:
    cohort_id: int
    chapter: int
    position: int


def read_answer_button(body: dict[str, Any]) -> AnswerTarget | None:
    """The question an "Answer privately" click is for; None for a button we did not render."""
    try:
        cohort_id, chapter, position = (int(part) for part in body["actions"][0]["value"].split(":"))
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return AnswerTarget(cohort_id, chapter, position)


@dataclass(frozen=True)
class ModalQuestion:
    position: int
    text: str  # mrkdwn
    current: str | None  # the member's private answer so far


def render_private_modal(
    cohort_id: int, chapter: int, chapter_title: str | None, questions: Sequence[ModalQuestion],
    focus: int | None = None,
) -> dict[str, Any]:
    """A modal with one optional answer box per question; what is saved is seen by no one else.

    Two blocks per question (the question in mrkdwn, then the box) while they fit
    in a view; a very long questionnaire gets one block each, the question as the label.
    """
    roomy = 1 + 2 * len(questions) <= MAX_VIEW_BLOCKS
    blocks: list[Block] = [context(
        f"*{escape_mrkdwn(chapter_name(chapter, chapter_title))}* — answers saved here are private: "
        "they count for your progress and are never posted."
    )]
    for question in questions[: MAX_VIEW_BLOCKS - 1 if not roomy else None]:
        element: dict[str, Any] = {"type": "plain_text_input", "action_id": ANSWER_INPUT, "multiline": True,
                                   "max_length": MAX_INPUT_TEXT}
        if question.current:
            element["initial_value"] = question.current[:MAX_INPUT_TEXT]
        if focus == question.position:
            element["focus_on_load"] = True
        if roomy:
            blocks.append(section(shorten_mrkdwn(f"*Q{question.position}.* {question.text}", MAX_SECTION_TEXT)))
            label = f"Your answer to Q{question.position}"
        else:
            label = f"Q{question.position}. {question.text}"
        blocks.append({"type": "input", "block_id": answer_block_id(question.position), "optional": True,
                       "label": plain_text(label, MAX_LABEL_TEXT), "element": element})
    return {
        "type": "modal",
        "callback_id": PRIVATE_ANSWERS_VIEW,
        "private_metadata": json.dumps({"cohort": cohort_id, "chapter": chapter}),
        "title": plain_text(f"Chapter {chapter} answers", 24),
        "submit": plain_text("Save"),
        "close": plain_text("Cancel"),
        "blocks": blocks,
    }


def answer_block_id(position: int) -> str:
    return f"{ANSWER_BLOCK_PREFIX}{position}"


@dataclass(frozen=True)
class PrivateAnswers:
    """A submitted private-answer modal: the text of each box, by question position."""

    cohort_id: int
    chapter: int
    texts: dict[int, str]


def read_private_modal(view: dict[str, Any]) -> PrivateAnswers:
    """The boxes of a submitted modal (an emptied box is ""), and which chapter they answer."""
    meta = json.loads(view.get("private_metadata") or "{}")
    texts = {}
    for block_id, values in ((view.get("state") or {}).get("values") or {}).items():
        position = block_id.removeprefix(ANSWER_BLOCK_PREFIX)
        if block_id.startswith(ANSWER_BLOCK_PREFIX) and position.isascii() and position.isdigit():
            texts[int(position)] = (values.get(ANSWER_INPUT) or {}).get("value") or ""
    return PrivateAnswers(int(meta["cohort"]), int(meta["chapter"]), texts)


def render_private_saved(chapter: int, saved: int, command: str) -> dict[str, Any]:
    """What the modal turns into after Save."""
    text = (f"Saved {counted(saved, 'private answer')} to chapter {chapter}. "
            f"They count for `{command} progress`; `{command} answers` sends you everything you wrote.")
    return _private_notice(f"Chapter {chapter} answers", text)


PRIVATE_COHORT_GONE = "That cohort no longer exists; nothing was saved."


def render_private_refused(text: str = PRIVATE_COHORT_GONE) -> dict[str, Any]:
    """What the modal turns into when its answers cannot be saved."""
    return _private_notice("Answers", text)


def _private_notice(title: str, text: str) -> dict[str, Any]:
    return {"type": "modal", "title": plain_text(title, 24), "close": plain_text("Done"), "blocks": [section(text)]}


@dataclass(frozen=True)
class NextPrompt:
    """This week's first posted question the member has not answered, with a link to its thread."""

    permalink: str | None
    position: int
    total: int
    question: str  # mrkdwn


def render_progress(
    cohort_name: str,
    chapters: Sequence[ChapterProgress],
    current: ChapterProgress | None,
    next_prompt: NextPrompt | None,
    next_release: datetime | None,
    command: str = "/study",
    *,
    summary: str | None = None,
) -> dict[str, Any]:
    """The member's own record, per chapter so far, and where to pick up this week; `summary` (mrkdwn, another
    feature's line: chapters done) right under the heading."""
    blocks: list[Block] = [section(f"*Your questionnaire progress* · {escape_mrkdwn(cohort_name)}")]
    if summary:
        blocks.append(section(summary))
    if not chapters:
        blocks.append(section("No questions are out yet — the first ones come when the first week opens."))
        return message(f"Your questionnaire progress ({cohort_name}): nothing yet", blocks)
    lines = [_progress_line(chapter) for chapter in chapters]
    blocks += [section(chunk) for chunk in pack_lines(lines)][: MAX_MESSAGE_BLOCKS - 4]
    if current is not None:
        blocks.append(section(_this_week(current, next_prompt, next_release)))
    blocks.append(context(
        f"Answer in a question's thread, or privately with `{command} answer`. "
        f"`{command} answers` sends you everything you wrote, as Markdown."
    ))
    done = sum(c.answered for c in chapters)
    total = sum(c.total for c in chapters)
    return message(f"Your questionnaire progress ({cohort_name}): {done} of {total} questions answered", blocks)


def _progress_line(chapter: ChapterProgress) -> str:
    filled = round(PROGRESS_BAR_CELLS * chapter.answered / chapter.total) if chapter.total else 0
    bar = "▰" * filled + "▱" * (PROGRESS_BAR_CELLS - filled)
    done = " :white_check_mark:" if chapter.total and chapter.answered >= chapter.total else ""
    name = escape_mrkdwn(shorten_plain(chapter_name(chapter.number, chapter.title), 120))
    return f"`{bar}` {name} — *{chapter.answered}/{chapter.total}*{done}"


def _this_week(current: ChapterProgress, next_prompt: NextPrompt | None, next_release: datetime | None) -> str:
    name = escape_mrkdwn(shorten_plain(chapter_name(current.number, current.title), 120))
    head = f"*This week: {name}* — {current.answered} of {current.total} answered."
    if next_prompt is not None:
        label = f"Q{next_prompt.position} of {next_prompt.total}"
        where = link(next_prompt.permalink, label) if next_prompt.permalink else label
        question = shorten_mrkdwn(" ".join(next_prompt.question.split()), 300)
        return f"{head}\nNext up: {where} — {question}"
    if next_release is not None:
        return f"{head}\nYou're up to date — more questions come out {slack_date(next_release)}."
    if current.total and current.answered >= current.total:
        return f"{head}\nAll done for this week — well done! :tada:"
    return head


def render_answers_dm(parts: Sequence[str], what: str) -> list[dict[str, Any]]:
    """The member's answers as Markdown, one `markdown` block per message."""
    count = len(parts)
    messages = []
    for index, part in enumerate(parts, start=1):
        label = f"Your answers, {what}" + (f" (part {index} of {count})" if count > 1 else "")
        messages.append(message(label, [{"type": "markdown", "text": part}]))
    return messages


def render_answers_sent(answers: int, summary: str | None = None) -> dict[str, Any]:
    """The ephemeral reply once the DM is out (and another feature's line: chapters done)."""
    text = f"I've sent you your {counted(answers, 'answer')} as Markdown in a DM from studybot."
    return {"text": f"{text}\n{summary}" if summary else text}


def split_markdown(text: str, limit: int = MAX_MARKDOWN_TEXT) -> list[str]:
    """Cut Markdown into pieces of at most `limit` characters, at line, then word boundaries.

    A piece that ends inside a ``` code fence is closed and the next one reopens
    it, so a long code block renders as code in every message.
    """
    pieces: list[str] = []
    rest = text.strip("\n")
    fence_reopen = "```\n"
    budget = limit - len("\n```")  # room to close a fence
    while rest:
        if len(rest) <= limit and rest.count("```") % 2 == 0:
            pieces.append(rest)
            break
        cut = _outside_fence_marker(rest, _cut_at(rest, min(budget, len(rest))))
        piece, rest = rest[:cut].rstrip("\n"), rest[cut:].lstrip("\n")
        if piece.count("```") % 2 == 1:
            piece += "\n```"
            rest = fence_reopen + rest if rest else ""
        pieces.append(piece)
    return [piece for piece in pieces if piece.strip()]


def _outside_fence_marker(text: str, cut: int) -> int:
    """Move a cut that falls inside a ``` marker to just before it (or after it, at the very start)."""
    start = text.rfind("```", max(0, cut - 2), cut + 2)
    if start == -1 or not start < cut < start + 3:
        return cut
    return start if start > 0 else start + 3


def _cut_at(text: str, limit: int) -> int:
    if len(text) <= limit:
        return len(text)
    for boundary in ("\n\n", "\n", " "):
        index = text.rfind(boundary, 0, limit)
        if index > limit // 4:
            return index + len(boundary)
    return limit


def answer_privately_button(cohort_id: int, chapter: int, position: int) -> Block:
    """The "Answer privately" button for one question, for other surfaces such as the App Home."""
    return button("Answer privately", ANSWER_PRIVATELY_ACTION, value=f"{cohort_id}:{chapter}:{position}")
