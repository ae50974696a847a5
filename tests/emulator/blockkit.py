"""The Block Kit limits Slack enforces, checked on every message and view the bot sends."""
from __future__ import annotations

from typing import Any

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
SECTION_TEXT = 3000
HEADER_TEXT = 150
CONTEXT_ELEMENTS = 10
SECTION_FIELDS = 10
FIELD_TEXT = 2000
VIEW_TITLE = 24
VIEW_BUTTON = 24
ACTIONS_ELEMENTS = 25
MESSAGE_TEXT = 40000
BUTTON_TEXT = 75
BLOCK_ID = 255
ACTION_ID = 255
PRIVATE_METADATA = 3000
KNOWN_BLOCKS = {"section", "header", "context", "divider", "actions", "input", "image", "rich_text", "markdown", "file",
                "video"}


def message_problems(args: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    blocks = args.get("blocks")
    text = args.get("text")
    if blocks:
        if not text:
            problems.append("blocks sent without a fallback `text`")
        if len(blocks) > MESSAGE_BLOCKS:
            problems.append(f"{len(blocks)} blocks in a message (max {MESSAGE_BLOCKS})")
        problems += blocks_problems(blocks)
    elif not text and not args.get("attachments"):
        problems.append("message with neither text nor blocks")
    if text and len(text) > MESSAGE_TEXT:
        problems.append(f"text of {len(text)} characters (max {MESSAGE_TEXT})")
    return problems


def view_problems(view: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    blocks = view.get("blocks") or []
    if view.get("type") not in ("modal", "home"):
        problems.append(f"view type {view.get('type')!r}")
    if len(blocks) > VIEW_BLOCKS:
        problems.append(f"{len(blocks)} blocks in a view (max {VIEW_BLOCKS})")
    if view.get("type") == "modal":
        title = (view.get("title") or {}).get("text", "")
        if not title or len(title) > VIEW_TITLE:
            problems.append(f"modal title {title!r} must be 1–{VIEW_TITLE} characters")
        for key in ("submit", "close"):
            label = (view.get(key) or {}).get("text", "")
            if len(label) > VIEW_BUTTON:
                problems.append(f"modal {key} label longer than {VIEW_BUTTON}")
        has_input = any(b.get("type") == "input" for b in blocks)
        if has_input and not view.get("submit"):
            problems.append("modal with input blocks but no submit button")
    if len(view.get("private_metadata") or "") > PRIVATE_METADATA:
        problems.append("private_metadata longer than 3000 characters")
    return problems + blocks_problems(blocks)


def blocks_problems(blocks: list[dict[str, Any]]) -> list[str]:
    problems: list[str] = []
    block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        where = f"block {index} ({block.get('type')})"
        if block.get("type") not in KNOWN_BLOCKS:
            problems.append(f"{where}: unknown block type")
        block_id = block.get("block_id")
        if block_id is not None:
            if block_id in block_ids:
                problems.append(f"{where}: duplicate block_id {block_id!r}")
            if len(block_id) > BLOCK_ID:
                problems.append(f"{where}: block_id too long")
            block_ids.add(block_id)
        problems += [f"{where}: {p}" for p in _block_problems(block)]
    return problems


def _block_problems(block: dict[str, Any]) -> list[str]:
    kind = block.get("type")
    problems: list[str] = []
    if kind == "section":
        text = (block.get("text") or {}).get("text")
        fields = block.get("fields") or []
        if not text and not fields:
            problems.append("section with neither text nor fields")
        if text and len(text) > SECTION_TEXT:
            problems.append(f"section text of {len(text)} characters (max {SECTION_TEXT})")
        if len(fields) > SECTION_FIELDS:
            problems.append("more than 10 fields")
        problems += [f"field of {len(f.get('text', ''))} characters" for f in fields
                     if len(f.get("text", "")) > FIELD_TEXT]
        if block.get("accessory"):
            problems += _element_problems(block["accessory"])
    elif kind == "header":
        text = (block.get("text") or {})
        if text.get("type") != "plain_text":
            problems.append("header text must be plain_text")
        if not text.get("text") or len(text["text"]) > HEADER_TEXT:
            problems.append(f"header text must be 1–{HEADER_TEXT} characters")
    elif kind == "context":
        elements = block.get("elements") or []
        if not elements or len(elements) > CONTEXT_ELEMENTS:
            problems.append(f"context needs 1–{CONTEXT_ELEMENTS} elements")
        problems += [f"context text of {len(e.get('text', ''))} characters" for e in elements
                     if len(e.get("text", "")) > SECTION_TEXT]
    elif kind == "actions":
        elements = block.get("elements") or []
        if not elements or len(elements) > ACTIONS_ELEMENTS:
            problems.append(f"actions needs 1–{ACTIONS_ELEMENTS} elements")
        for element in elements:
            problems += _element_problems(element)
    elif kind == "input":
        if not block.get("label") or not block.get("element"):
            problems.append("input needs a label and an element")
        else:
            problems += _element_problems(block["element"])
    return problems


def _element_problems(element: dict[str, Any]) -> list[str]:
    problems: list[str] = []
    action_id = element.get("action_id")
    if action_id is not None and len(action_id) > ACTION_ID:
        problems.append("action_id too long")
    if element.get("type") == "button":
        label = (element.get("text") or {}).get("text", "")
        if not label or len(label) > BUTTON_TEXT:
            problems.append(f"button label must be 1–{BUTTON_TEXT} characters")
        if len(element.get("value") or "") > 2000:
            problems.append("button value longer than 2000 characters")
    if element.get("type") in ("static_select", "multi_static_select"):
        options = element.get("options") or []
        groups = element.get("option_groups") or []
        if not options and not groups:
            problems.append("select without options")
        if len(options) > 100:
            problems.append("more than 100 options")
    return problems
