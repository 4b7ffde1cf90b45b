"""One message to a resident, as every channel receives it: text, and buttons to press."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Reply:
    text: str
    buttons: list[dict] = field(default_factory=list)  # {"title": ..., "payload": ...}
