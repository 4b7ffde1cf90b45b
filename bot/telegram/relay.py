"""Delivers the messages cases queue (relayed messages, offers, notices) and runs the case
timers. Both work from the database, so after a restart whatever was pending goes out."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.telegram.format import keyboard, split_message
from bot.telegram.inbox import record_delivery_failure
from config.settings import HandoffSettings
from handoff.cases import move_message, record_delivered, requeue_interrupted, return_to_queue
from handoff.models import CaseMessage, MessageStatus
from handoff.repository import pending_case_messages
from handoff.timers import run_due
from knowledge.dense_index import civil_code_vectors
from knowledge.lexical_index import civil_code_index
from storage.db import Database, utcnow

log = logging.getLogger(__name__)
BATCH = 50


async def _send(bot: Bot, row: CaseMessage) -> int:
    """Send one queued message; returns the Telegram message id the map keeps."""
    if row.strip_buttons_of is not None:
        try:
            await bot.edit_message_reply_markup(row.chat_id, row.strip_buttons_of, reply_markup=None)
        except BadRequest:  # already without buttons, or too old to edit: nothing to take off
            pass
        return row.strip_buttons_of
    if row.media:
        copied = await bot.copy_message(row.chat_id, row.source_chat_id, row.source_message_id)
        return copied.message_id
    parts = split_message(row.text)
    first = 0  # Telegram's message ids start at 1
    for number, text in enumerate(parts, 1):
        markup = keyboard(row.buttons) if number == len(parts) else None
        sent = await bot.send_message(row.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        first = first or sent.message_id
    return first


async def deliver_pending(bot: Bot, db: Database) -> int:
    """Send queued messages in the order they were written. Each is claimed before it is sent,
    so an offer that ends meanwhile is withdrawn or loses its buttons, never both missed. A
    network failure leaves the rest for the next round; a refusal (blocked bot, deleted chat) is
    recorded, never dropped quietly."""
    with db.session() as s:
        rows = pending_case_messages(s, BATCH)
    for row in rows:
        with db.session() as s, s.begin():
            if not move_message(s, row, MessageStatus.pending, MessageStatus.sending):
                continue  # withdrawn since it was read
        try:
            message_id = await _send(bot, row)
        except (BadRequest, Forbidden) as error:
            log.error("case %s: message %s refused: %s", row.case_id, row.id, error)
            with db.session() as s, s.begin():
                s.get(CaseMessage, row.id).status = MessageStatus.failed
                record_delivery_failure(s, row.chat_id, row.text or "(media)", repr(error))
            continue
        except NetworkError as error:  # includes 5xx and timeouts; 429 is waited out by the rate limiter
            log.warning("case messages wait for the network: %s", error)
            with db.session() as s, s.begin():
                return_to_queue(s, row)  # a conditional write by its id: no need to read it again
            return 0
        with db.session() as s, s.begin():
            record_delivered(s, s.get(CaseMessage, row.id), message_id)
    return len(rows)


class CaseWorker:
    """One loop: deliver what cases queued, then run whatever timers came due. ``clock`` tells
    the time the timers are judged by (tests drive it)."""

    def __init__(self, bot: Bot, db: Database, settings: HandoffSettings, clock: Callable[[], datetime] = utcnow):
        self.bot = bot
        self.db = db
        self.settings = settings
        self.clock = clock
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self) -> None:
        for index in (civil_code_index, civil_code_vectors):  # built once, off the event loop, for summaries
            await asyncio.to_thread(index)
        with self.db.session() as s, s.begin():
            requeue_interrupted(s)
        while True:
            self._wake.clear()
            try:
                with self.db.session() as s, s.begin():
                    run_due(s, self.settings, self.clock())
                while await deliver_pending(self.bot, self.db) == BATCH:
                    pass
            except Exception:
                log.exception("case worker round failed")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.tick)
            except asyncio.TimeoutError:
                pass
