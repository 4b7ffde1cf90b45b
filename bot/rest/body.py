"""What a REST request must carry, checked before anything reaches the router: a client's
mistake gets 400 (or 413) and a JSON error that says what to fix, never a 500."""

from __future__ import annotations

import json
from dataclasses import dataclass
from http import HTTPStatus

from bot.router import MAX_MESSAGE_CHARS
from texts import residents

MAX_SENDER_CHARS = 128
# Well above what MAX_MESSAGE_CHARS characters take in JSON (up to 12 bytes each, as \\ud83d\\ude00).
MAX_BODY_BYTES = 64 * 1024


@dataclass(frozen=True)
class Message:
    sender: str
    text: str


@dataclass(frozen=True)
class Refusal:
    """Why the request was refused: the status, a short reason for the developer, and what the
    client may show the resident."""

    status: HTTPStatus
    error: str
    detail: str = residents.REST_BAD_REQUEST
    limit: int | None = None

    def body(self) -> dict:
        return {"error": self.error, "detail": self.detail} | ({"limit": self.limit} if self.limit else {})


def _json_type(value: object) -> str:
    """The JSON name of a parsed value's type, as a client wrote it."""
    if isinstance(value, bool):
        return "boolean"
    names = {dict: "object", list: "array", str: "string", int: "number", float: "number", type(None): "null"}
    return names[type(value)]


def _valid_text(value: str) -> bool:
    """Encodable as UTF-8 (no lone surrogates), so it can be stored and sent on."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def too_large() -> Refusal:
    return Refusal(
        HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
        f"the body is larger than {MAX_BODY_BYTES} bytes",
        residents.TOO_LONG_REST.format(limit=MAX_MESSAGE_CHARS),
        MAX_MESSAGE_CHARS,
    )


def parse(raw: bytes) -> Message | Refusal:
    """The sender and message of a request body ``{"sender": str, "message": str}``."""
    if not raw.strip():
        return Refusal(HTTPStatus.BAD_REQUEST, 'the body is empty; send {"sender": "...", "message": "..."}')
    try:
        body = json.loads(raw)
    except ValueError:  # also bytes that are not UTF-8
        return Refusal(HTTPStatus.BAD_REQUEST, "the body is not JSON")
    if not isinstance(body, dict):
        return Refusal(HTTPStatus.BAD_REQUEST, f"the body must be a JSON object, not {_json_type(body)}")
    sender, text = body.get("sender"), body.get("message")
    if not isinstance(sender, str) or not sender.strip():
        return Refusal(HTTPStatus.BAD_REQUEST, '"sender" must be a non-empty string')
    if len(sender) > MAX_SENDER_CHARS or not sender.isprintable():
        return Refusal(HTTPStatus.BAD_REQUEST, f'"sender" must be printable, at most {MAX_SENDER_CHARS} characters')
    if not isinstance(text, str):
        return Refusal(HTTPStatus.BAD_REQUEST, f'"message" must be a string, not {_json_type(text)}')
    if not text.strip():
        return Refusal(HTTPStatus.BAD_REQUEST, '"message" is empty', residents.REST_EMPTY)
    if not _valid_text(text):
        return Refusal(HTTPStatus.BAD_REQUEST, '"message" contains lone surrogates (not valid Unicode text)')
    if len(text) > MAX_MESSAGE_CHARS:
        return Refusal(
            HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            f'"message" is longer than {MAX_MESSAGE_CHARS} characters',
            residents.TOO_LONG_REST.format(limit=MAX_MESSAGE_CHARS),
            MAX_MESSAGE_CHARS,
        )
    return Message(sender, text)
