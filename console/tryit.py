"""Try it: the team talks to the running assistant as a resident would (through the same
router as every channel, sender console-<name>) and sees, for each reply, which entry answered,
with what confidence, and which choices it offered. Those come from the consultation record the
action server writes for the message: the decision that really produced the reply, with the
conversation's state (an offer pending, failed turns), not a second parse of the text."""

from __future__ import annotations

import asyncio
import threading
import time
from dataclasses import dataclass, field

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response

from bot.router import AssistantUnavailable, Inbound, Router
from config.settings import stored_secret
from console.auth import requires
from console.context import console
from console.models import Role
from knowledge.models import Consultation
from knowledge.records import last_consultation, sender_hash
from texts import console as t
from texts.reply import Reply

blueprint = Blueprint("tryit", __name__)
KEEP = 10  # exchanges shown per person


@dataclass
class Exchange:
    question: str
    replies: list[Reply] = field(default_factory=list)
    topic: str | None = None
    action: str | None = None
    entry: str | None = None
    confidence: float | None = None
    choices: list[str] = field(default_factory=list)
    error: str | None = None


_conversations: dict[str, list[Exchange]] = {}
_lock = threading.Lock()


def sender_of(name: str) -> str:
    return f"console-{name}"


def sender_key() -> str:
    return console().settings.sender_hash_key or stored_secret("sender-hash-key")


def ask(name: str, text: str, typed: bool = True) -> Exchange:
    """Send ``text`` to the assistant as ``name``'s test conversation (``typed`` False: a
    button's payload); what came back and why."""
    c = console()
    hashed = sender_hash(sender_of(name), sender_key())
    with c.db.session() as s:
        before = last_consultation(s, hashed)
    exchange = Exchange(text)

    async def talk() -> list[Reply]:
        router = Router(c.rasa_url, c.db, c.settings.handoff, attempts=2, timeout=60)
        try:
            return await router.handle(sender_of(name), text, Inbound(typed=typed))
        finally:
            await router.aclose()

    try:
        exchange.replies = asyncio.run(talk())
    except AssistantUnavailable:
        exchange.error = t.ASSISTANT_DOWN
        return exchange
    record = _new_record(hashed, before.id if before is not None else None)
    if record is not None:
        exchange.topic, exchange.action, exchange.entry = record.topic, record.action, record.entry_slug
        exchange.confidence, exchange.choices = record.confidence, list(record.choices or [])
    return exchange


def _new_record(hashed: str, last_id: int | None, wait: float = 3.0) -> Consultation | None:
    """The record the action server writes beside its reply (a moment after it), if one comes."""
    deadline = time.monotonic() + wait
    while True:
        with console().db.session() as s:
            record = last_consultation(s, hashed)
        if (record is not None and record.id != last_id) or time.monotonic() > deadline:
            return record if record is not None and record.id != last_id else None
        time.sleep(0.1)


@blueprint.route("/try", methods=["GET", "POST"])
@requires(Role.editor)
def page() -> Response | str:
    name = current_user.name
    if request.method == "POST":
        text = request.form.get("message", "").strip()
        if text:
            exchange = ask(name, text, typed=not request.form.get("button"))
            with _lock:
                _conversations[name] = [*_conversations.get(name, []), exchange][-KEEP:]
        return redirect(url_for("tryit.page"))
    with _lock:
        exchanges = list(_conversations.get(name, []))
    return render_template("tryit.html", exchanges=exchanges, sender=sender_of(name))
