"""Messages and modals of the live-session questions, their ids, and the readers of their view state.

Question text is member text: it is always escaped (so `<!channel>` or `<@U…>`
written in a question shows as text and pings nobody), and an anonymous
question's card carries no user id at all, so nothing rendered from it can name
the asker. Nothing here calls Slack.
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.blocks import (
    MAX_MESSAGE_BLOCKS,
    Block,
    button,
    context,
    counted,
    divider,
    escape_mrkdwn,
    header,
    mention,
    message,
    pack_lines,
    plain_text,
    section,
    shorten_mrkdwn,
    shorten_plain,
    slack_date,
    split_mrkdwn,
)

UPVOTE_ACTION = "ama_upvote"
BOARD_VOTE_ACTION = "ama_board_vote"
MENU_ACTION = "ama_menu"
UPVOTE_INSTEAD_ACTION = "ama_upvote_instead"
ASK_ANYWAY_ACTION = "ama_ask_anyway"
OPEN_ASK_ACTION = "ama_open_ask"  # a button any surface (e.g. the App Home) may show
ASK_ABOUT_SHORTCUT = "ama_ask_about"  # the message shortcut "Ask at the live session" (manifest.yml)
ASK_CALLBACK = "ama_ask"
HIDE_CALLBACK = "ama_hide"
QUESTION_BLOCK, QUESTION_INPUT = "ama_question", "ama_question_text"
ANONYMOUS_BLOCK, ANONYMOUS_INPUT = "ama_anonymous", "ama_anonymous_choice"
REASON_BLOCK, REASON_INPUT = "ama_reason", "ama_reason_text"
MAX_QUESTION = 1000
MAX_REASON = 500
BOARD_BUTTONS = 15  # questions shown with their own Upvote button on the board
BOARD_LINES = 60  # a board longer than this is a list nobody reads in Slack: the rest is "+N more"
BOARD_LINE = 200
TOP_COUNT = 10
MENU_LABELS = {"report": "Report", "answered": "Mark answered…", "reopen": "Not answered yet", "pin": "Pin",
               "unpin": "Unpin", "hide": "Hide…", "restore": "Show again", "moment": "Moment in the recording…"}


# A question whose text the retention setting cleared (bot/privacy/old_text.py), should it be shown again.
TEXT_CLEARED = "_The text of this question was cleared after the retention period._"


@dataclass(frozen=True)
class QuestionCard:
    """A question as it may be shown: `asker` is None for anonymous questions."""

    id: int
    text: str
    asker: str | None
    state: str
    pinned: bool
    votes: int
    also_asked: int
    answered_at: datetime | None = None


# ---- the board's thread ---------------------------------------------------------------

def render_parent(week: int, session_at: datetime, command: str) -> dict[str, Any]:
    title = f"Questions for the live session of week {week}"
    return message(title, [
        header(title),
        section(f"The session is {slack_date(session_at)}. Ask with `{command} ask <your question>`"
                 f" (or `{command} ask` for a form where you can ask anonymously), upvote the questions below,"
                 f" and see them all by votes with `{command} ama`."),
    ])


def render_question(card: QuestionCard) -> dict[str, Any]:
    """A question in the board's thread: text, live votes, and its buttons (none once hidden)."""
    if card.state in ("hidden", "review"):
        note = "hidden by an organizer" if card.state == "hidden" else "hidden after reports, until an organizer looks"
        return message(f"A question was {note}.", [
            context(f"_A question was {note}._"),
            {"type": "actions", "block_id": f"ama_q_{card.id}", "elements": [_menu(card)]},
        ])
    body = _body(card.text, struck=card.state == "answered")
    blocks: list[Block] = [section(chunk) for chunk in split_mrkdwn(body, 2900)]
    blocks.append(context(*_details(card)))
    blocks.append({"type": "actions", "block_id": f"ama_q_{card.id}", "elements": [
        button(f"▲ Upvote · {card.votes}", UPVOTE_ACTION, value=str(card.id)), _menu(card)]})
    return message(f"{_votes(card.votes)}: {shorten_mrkdwn(escape_mrkdwn(card.text), 150)}", blocks)


def _menu(card: QuestionCard) -> Block:
    verbs = ["report"]  # an overflow menu takes 2 to 5 options
    if card.state in ("hidden", "review"):
        verbs = ["restore", "hide"]
    else:
        verbs += ["reopen" if card.state == "answered" else "answered", "unpin" if card.pinned else "pin", "hide"]
        if card.state == "answered":
            verbs.insert(2, "moment")
    return {"type": "overflow", "action_id": MENU_ACTION, "options": [
        {"text": plain_text(MENU_LABELS[verb]), "value": f"{verb}:{card.id}"} for verb in verbs]}


def read_menu_choice(value: str) -> tuple[str, int] | None:
    """("pin", 12) from an overflow option's value; None for anything we did not render."""
    verb, _, number = value.partition(":")
    return (verb, int(number)) if verb in MENU_LABELS and number.isdigit() else None


def _body(text: str, struck: bool) -> str:
    escaped = escape_mrkdwn(text.strip())
    if not struck:
        return escaped
    return "\n".join(f"~{line.strip()}~" if line.strip() else "" for line in escaped.splitlines())


def _details(card: QuestionCard) -> list[str]:
    parts = [f"asked by {mention(card.asker)}" if card.asker else "asked anonymously"]
    if card.also_asked:
        parts.append(f"also asked by {card.also_asked}")
    if card.pinned:
        parts.append(":pushpin: pinned")
    if card.state == "answered":
        parts.append(":white_check_mark: answered")
    return [" · ".join(parts)]


def _quoted(question: str) -> str:
    """Member text as a mrkdwn quote, escaped and kept well inside one section."""
    return "\n".join(f">{line}" for line in shorten_mrkdwn(escape_mrkdwn(question.strip()), 1500).splitlines())


def _votes(count: int) -> str:
    return counted(count, "vote")


# ---- the board, as `/study ama` shows it ------------------------------------------------------

def render_board(cards: Sequence[QuestionCard], mine: set[int], week: int, session_at: datetime,
                 command: str) -> dict[str, Any]:
    """Pinned first, then by votes, answered ones last; the first few with their own button, the
    rest as lines up to `BOARD_LINES` (and always within Slack's 50 blocks), then a "+N more" line."""
    title = f"Questions for week {week}'s live session"
    if not cards:
        return message(title, [section(f"*{title}* ({slack_date(session_at)})\nNo questions yet — ask one with"
                                       f" `{command} ask <your question>`.")])
    blocks: list[Block] = [header(title), context(
        f"{counted(len(cards), 'question')} · session {slack_date(session_at)} · ✓ marks your votes")]
    with_buttons = list(cards[:BOARD_BUTTONS])
    for card in with_buttons:
        line = _board_line(card, card.id in mine)
        label = "Remove my vote" if card.id in mine else "Upvote"
        blocks.append({**section(line), "accessory": button(label, BOARD_VOTE_ACTION, value=str(card.id))})
    listed = len(with_buttons)
    rest = [_board_line(card, card.id in mine) for card in cards[BOARD_BUTTONS:BOARD_LINES]]
    if rest:
        blocks.append(divider())
        chunks = pack_lines(rest)[:MAX_MESSAGE_BLOCKS - len(blocks) - 1]
        blocks += [section(chunk) for chunk in chunks]
        listed += sum(chunk.count("\n") + 1 for chunk in chunks)
    if listed < len(cards):
        blocks.append(context(f"+{len(cards) - listed} more — `studybot ama show` or `{command} admin ama export`"
                              " lists them all"))
    return message(title, blocks)


def _board_line(card: QuestionCard, voted: bool) -> str:
    marks = ("📌 " if card.pinned else "") + ("✓ " if voted else "")
    text = shorten_mrkdwn(" ".join(escape_mrkdwn(card.text).split()), BOARD_LINE)
    if card.state == "answered":
        text = f"~{text}~ (answered)"
    also = f" · also asked by {card.also_asked}" if card.also_asked else ""
    return f"{marks}*{card.votes}* ▲  {text}{also}"


def render_top(cards: Sequence[QuestionCard], week: int) -> dict[str, Any]:
    title = f"Top questions for week {week}'s live session"
    if not cards:
        return message(title, [section(f"*{title}*\nNo questions were asked.")])
    lines = [f"{rank}. {_board_line(card, False)}" for rank, card in enumerate(cards[:TOP_COUNT], start=1)]
    return message(title, [header(title), *[section(chunk) for chunk in pack_lines(lines)]])


# ---- asking ------------------------------------------------------------------------------

def ask_button() -> Block:
    """"Ask a question" for any surface (the App Home): opens the form with the anonymous option."""
    return button("Ask a question for the live session", OPEN_ASK_ACTION)


def render_asked(week: int, anonymous: bool) -> str:
    who = " anonymously — nobody sees your name" if anonymous else ""
    return f"Your question is on the board for week {week}'s live session{who}."


def render_offer(similar: QuestionCard, draft_id: int) -> dict[str, Any]:
    """Shown to the asker when a very similar question is already on the board."""
    quoted = _quoted(similar.text)
    text = "A very similar question is already on the board"
    return message(text, [
        section(f"{text} ({_votes(similar.votes)}):\n{quoted}"),
        {"type": "actions", "block_id": "ama_offer", "elements": [
            button("Upvote that instead", UPVOTE_INSTEAD_ACTION, value=f"{draft_id}:{similar.id}", style="primary"),
            button("Ask mine anyway", ASK_ANYWAY_ACTION, value=str(draft_id))]},
    ])


def ask_modal(cohort_id: int, week: int, about: str | None = None) -> dict[str, Any]:
    """The form; `about` (a message's text, from the shortcut) starts the question off, quoted."""
    element: dict[str, Any] = {"type": "plain_text_input", "action_id": QUESTION_INPUT, "multiline": True,
                               "max_length": MAX_QUESTION}
    if about and about.strip():
        element["initial_value"] = f"About “{shorten_plain(' '.join(about.split()), MAX_QUESTION // 2)}”: "
    return {
        "type": "modal", "callback_id": ASK_CALLBACK, "private_metadata": str(cohort_id),
        "title": plain_text("Ask a question"), "submit": plain_text("Ask"), "close": plain_text("Cancel"),
        "blocks": [
            {"type": "input", "block_id": QUESTION_BLOCK,
             "label": plain_text(f"Your question for week {week}'s session"), "element": element},
            {"type": "input", "block_id": ANONYMOUS_BLOCK, "optional": True, "label": plain_text("Anonymity"),
             "element": {"type": "checkboxes", "action_id": ANONYMOUS_INPUT, "options": [
                 {"text": plain_text("Ask anonymously"), "value": "anonymous",
                  "description": plain_text("Nobody sees your name; organizers can still moderate it.")}]}},
        ],
    }


def read_ask_modal(values: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> tuple[str, bool]:
    text = ((values.get(QUESTION_BLOCK) or {}).get(QUESTION_INPUT) or {}).get("value") or ""
    chosen = ((values.get(ANONYMOUS_BLOCK) or {}).get(ANONYMOUS_INPUT) or {}).get("selected_options") or []
    return text, any(option.get("value") == "anonymous" for option in chosen)


def read_offer_choice(value: str) -> tuple[int, int | None] | None:
    """(draft id, similar question id) from an offer button's value; None for anything we did not render."""
    draft, _, similar = value.partition(":")
    if not draft.isdigit() or (similar and not similar.isdigit()):
        return None
    return int(draft), int(similar) if similar else None


def read_cohort_id(private_metadata: str) -> int | None:
    return int(private_metadata) if private_metadata.isdigit() else None


def notice_modal(text: str) -> dict[str, Any]:
    """A modal that only says something (the outcome of a form, or an offer made inside one)."""
    return {"type": "modal", "title": plain_text("Questions"), "close": plain_text("Close"),
            "blocks": [section(text)]}


def offer_modal(similar: QuestionCard, draft_id: int) -> dict[str, Any]:
    return {**notice_modal("…"), "blocks": render_offer(similar, draft_id)["blocks"]}


# ---- moderation ----------------------------------------------------------------------------

def hide_modal(question_id: int, question: str) -> dict[str, Any]:
    return {
        "type": "modal", "callback_id": HIDE_CALLBACK, "private_metadata": str(question_id),
        "title": plain_text("Hide a question"), "submit": plain_text("Hide"), "close": plain_text("Cancel"),
        "blocks": [
            section(shorten_mrkdwn(escape_mrkdwn(question), 2900)),
            {"type": "input", "block_id": REASON_BLOCK, "label": plain_text("Reason (sent privately to the asker)"),
             "element": {"type": "plain_text_input", "action_id": REASON_INPUT, "multiline": True,
                         "max_length": MAX_REASON}},
        ],
    }


def read_hide_modal(private_metadata: str,
                    values: Mapping[str, Mapping[str, Mapping[str, Any]]]) -> tuple[int | None, str]:
    reason = ((values.get(REASON_BLOCK) or {}).get(REASON_INPUT) or {}).get("value") or ""
    return (int(private_metadata) if private_metadata.isdigit() else None), reason


def render_hidden_notice(question: str, reason: str) -> dict[str, Any]:
    text = "An organizer hid your question from the live-session board"
    quoted = _quoted(question)
    return message(text, [section(f"{text}:\n{quoted}"),
                          section(f"*Why:* {shorten_mrkdwn(escape_mrkdwn(reason), 1000)}")])


def render_review_notice(question: str, week: int) -> dict[str, Any]:
    text = f"A question on week {week}'s board was hidden after three reports"
    quoted = _quoted(question)
    return message(text, [section(f"{text}:\n{quoted}"),
                          context("Open its thread in the cohort channel: *…* → *Show again* or *Hide…*"
                                  " with a reason.")])


# ---- export -----------------------------------------------------------------------------------

def render_export(csv_text: str, week: int, rows: int) -> dict[str, Any]:
    title = f"Week {week}'s questions: {rows} (CSV)"
    chunks = split_mrkdwn(escape_mrkdwn(csv_text), 2900)
    room = MAX_MESSAGE_BLOCKS - 2
    blocks = [section(f"*{title}*"), *[section(f"```{chunk}```") for chunk in chunks[:room]]]
    if len(chunks) > room:
        blocks.append(context("Cut to fit Slack — `studybot ama export --csv` has every row."))
    return message(title, blocks)
