"""Delivers the messages cases queue (relayed messages, offers, notices) and runs the case
timers. Both work from the database, so after a restart whatever was pending goes out."""
from __future__ import annotations

import asyncio
import logging

from sqlalchemy import select
from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError

from bot.telegram.format import keyboard, split_message
from bot.telegram.inbox import record_delivery_failure
from handoff.cases import utcnow
from handoff.models import CaseMessage
from handoff.settings import HandoffSettings
from handoff.timers import run_due
from storage.db import session
from knowledge.retrieval import civil_code_index

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
    first = None
    for number, text in enumerate(parts, 1):
        markup = keyboard(row.buttons) if number == len(parts) else None
        sent = await bot.send_message(row.chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        first = first or sent.message_id
    return first


async def deliver_pending(bot: Bot) -> int:
    """Send queued messages in the order they were written. A network failure leaves the rest
    for the next round; a refusal (blocked bot, deleted chat) is recorded, never dropped quietly."""
    with session() as s:
        rows = list(s.scalars(select(CaseMessage).where(CaseMessage.status == "pending")
                              .order_by(CaseMessage.id).limit(BATCH)))
    for row in rows:
        try:
            message_id = await _send(bot, row)
        except (BadRequest, Forbidden) as error:
            log.error("case %s: message %s refused: %s", row.case_id, row.id, error)
            with session() as s, s.begin():
                s.get(CaseMessage, row.id).status = "failed"
                record_delivery_failure(s, row.chat_id, row.text or "(media)", repr(error))
            continue
        except NetworkError as error:  # includes 5xx and timeouts; 429 is waited out by the rate limiter
            log.warning("case messages wait for the network: %s", error)
            return 0
        with session() as s, s.begin():
            sent = s.get(CaseMessage, row.id)
            sent.status, sent.sent_message_id, sent.sent_at = "sent", message_id, utcnow()
    return len(rows)


class CaseWorker:
    """One loop: deliver what cases queued, then run whatever timers came due."""

    def __init__(self, bot: Bot, settings: HandoffSettings):
        self.bot = bot
        self.settings = settings
        self._wake = asyncio.Event()

    def wake(self) -> None:
        self._wake.set()

    async def run_forever(self) -> None:
        await asyncio.to_thread(civil_code_index)  # built once, off the event loop, for case summaries
        while True:
            self._wake.clear()
            try:
                with session() as s, s.begin():
                    run_due(s, self.settings, utcnow())
                while await deliver_pending(self.bot) == BATCH:
                    pass
            except Exception:  # noqa: BLE001 - a bad row must not stop every case; it is logged
                log.exception("case worker round failed")
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.settings.tick)
            except asyncio.TimeoutError:
                pass
