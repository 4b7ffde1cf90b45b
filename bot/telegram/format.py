"""Replies made safe and readable for Telegram: HTML-escaped, split under the length limit,
buttons as inline keyboards whose callback data fits Telegram's 64 bytes."""

from __future__ import annotations

import html
import json

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from texts import residents

MESSAGE_LIMIT = 4096
CALLBACK_LIMIT = 64
_CHOOSE = "/choose_entry"
_LABELS = (residents.LEGAL_BASIS, residents.PERSON_LABEL)  # shown in bold


def to_html(paragraph: str) -> str:
    """Escape everything; make the legal-basis and person lines' labels bold for a phone screen."""
    text = html.escape(paragraph, quote=False)
    for label in _LABELS:
        if text.startswith(label):
            return f"<b>{label}</b>{text[len(label) :]}"
    return text


def _pieces(paragraph: str, limit: int) -> list[str]:
    """A paragraph too long for one message is cut at line ends, then (rarely) inside a line."""
    if len(to_html(paragraph)) <= limit:
        return [paragraph]
    pieces, current = [], ""
    for line in paragraph.split("\n"):
        candidate = f"{current}\n{line}" if current else line
        if len(to_html(candidate)) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        while len(to_html(line)) > limit:  # escaping can only lengthen text: cut a safe prefix
            cut = limit // 5
            pieces.append(line[:cut])
            line = line[cut:]
        current = line
    return pieces + ([current] if current else [])


def split_message(text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """HTML messages of at most ``limit`` characters, split at paragraph boundaries; none is
    only whitespace (Telegram refuses an empty message)."""
    paragraphs = [p for block in text.split("\n\n") for p in _pieces(block, limit)]
    messages, current = [], ""
    for paragraph in paragraphs:
        formatted = to_html(paragraph)
        candidate = f"{current}\n\n{formatted}" if current else formatted
        if len(candidate) <= limit:
            current = candidate
        else:
            messages.append(current)
            current = formatted
    return [message for message in [*messages, current] if message.strip()]


def callback_data(payload: str) -> str:
    """Rasa's button payload in at most 64 bytes: /choose_entry{"entry": slug} becomes e:slug."""
    data = "e:" + json.loads(payload[len(_CHOOSE) :])["entry"] if payload.startswith(_CHOOSE) else payload
    if len(data.encode()) > CALLBACK_LIMIT:
        raise ValueError(f"button payload too long for Telegram: {payload!r}")
    return data


def payload_from(data: str) -> str:
    if data.startswith("e:"):
        return _CHOOSE + json.dumps({"entry": data[2:]})
    return data


def keyboard(buttons: list[dict]) -> InlineKeyboardMarkup | None:
    if not buttons:
        return None
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b["title"], callback_data=callback_data(b["payload"]))] for b in buttons]
    )
