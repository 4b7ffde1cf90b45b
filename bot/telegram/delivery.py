"""Sending a reply to a Telegram chat: split under the length limit, buttons on the last part,
network errors retried with backoff, and what still fails recorded, never silently lost."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from bot.telegram.format import keyboard, split_message
from bot.telegram.inbox import record_delivery_failure
from storage.db import Database
from texts import residents
from texts.reply import Reply

log = logging.getLogger(__name__)
SEND_ATTEMPTS = 4


def _retryable(error: BaseException) -> bool:
    # 429 (RetryAfter) is waited out by the rate limiter; BadRequest would fail again.
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


async def send(bot: Bot, db: Database, chat_id: int, reply: Reply) -> None:
    parts = split_message(reply.text or (residents.CHOOSE if reply.buttons else ""))
    for number, text in enumerate(parts, 1):
        markup = keyboard(reply.buttons) if number == len(parts) else None
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(SEND_ATTEMPTS),
                wait=wait_exponential(multiplier=0.5, max=10),
                retry=retry_if_exception(_retryable),
                reraise=True,
            ):
                with attempt:
                    await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        except Exception as error:
            log.exception("delivery to chat %s failed", chat_id)
            with db.session() as s, s.begin():
                record_delivery_failure(s, chat_id, text, repr(error))
