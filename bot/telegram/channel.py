"""The Telegram channel: updates are stored before they are acknowledged, then handled in
order per chat (chats in parallel); an update whose handling failed because the assistant was
unreachable stays pending and is retried, and the resident is told once to wait.

Long polling for development (getUpdates confirming the last batch stored); a webhook with Telegram's
secret-token check for production. Never drop pending updates.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Callable
from datetime import datetime

from aiohttp import web
from telegram import Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.forget import Forgetting
from bot.router import AssistantUnavailable, Router
from bot.telegram.advisers import add_adviser_handlers
from bot.telegram.context import BotData, Context
from bot.telegram.delivery import send
from bot.telegram.inbox import finish, next_offset, oldest_pending, pending_chats, postpone, store
from bot.telegram.models import UpdateStatus
from bot.telegram.relay import CaseWorker
from bot.telegram.residents import COMMANDS, add_handlers
from config.settings import HandoffSettings, TelegramSettings
from storage.db import Database, utcnow
from texts import residents
from texts.reply import Reply

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


class TelegramChannel:
    def __init__(
        self,
        settings: TelegramSettings,
        handoff: HandoffSettings,
        db: Database,
        rasa_url: str,
        retry_delay: float = 5.0,
        poll_timeout: int = 25,
        clock: Callable[[], datetime] = utcnow,
        forgetting: Forgetting | None = None,
    ):
        self.settings = settings
        self.db = db
        self.retry_delay = retry_delay
        self.poll_timeout = poll_timeout
        self.application: Application = (
            ApplicationBuilder()
            .token(settings.token)
            .base_url(settings.base_url)
            .rate_limiter(AIORateLimiter(max_retries=3))
            .updater(None)
            .context_types(ContextTypes(bot_data=BotData))
            .build()
        )
        self.case_worker = CaseWorker(self.application.bot, db, handoff, clock)
        shared: BotData = self.application.bot_data
        shared.router, shared.case_worker = Router(rasa_url, db, handoff, forgetting=forgetting), self.case_worker
        shared.handoff, shared.db = handoff, db
        add_adviser_handlers(self.application, db)
        add_handlers(self.application)
        self.application.add_error_handler(self._remember_error)
        self._errors: dict[int, BaseException] = {}
        self._busy: set[str] = set()
        self._retry_at: dict[str, float] = {}  # chats waiting for the assistant to come back
        self._chat_tasks: set[asyncio.Task] = set()
        self._wake = asyncio.Event()

    async def _remember_error(self, update: object, context: Context) -> None:
        if isinstance(update, Update) and context.error is not None:
            self._errors[update.update_id] = context.error

    def accept(self, updates: list[Update]) -> int:
        """Store updates (deduplicated) and wake the dispatcher; returns how many were new."""
        with self.db.session() as s, s.begin():
            new = store(s, updates)
        self._wake.set()
        return new

    async def poll_forever(self) -> None:
        """Long polling: each getUpdates acknowledges only the batch stored before it. The first
        one acknowledges nothing: what Telegram still holds comes again and is deduplicated."""
        bot = self.application.bot
        await bot.delete_webhook(drop_pending_updates=False)
        offset = None
        while True:
            try:
                updates = await bot.get_updates(
                    offset=offset, timeout=self.poll_timeout, allowed_updates=Update.ALL_TYPES
                )
            except NetworkError as error:  # Telegram or the network is down: back off, keep going
                log.warning("getUpdates failed: %s", error)
                await asyncio.sleep(self.retry_delay)
                continue
            if updates:
                self.accept(list(updates))
                offset = next_offset(list(updates))

    async def dispatch_forever(self) -> None:
        """Hand each chat's pending updates, oldest first, to one task per chat."""
        loop = asyncio.get_running_loop()
        while True:
            with self.db.session() as s:
                chats = pending_chats(s)
            for chat in chats:
                if chat not in self._busy and self._retry_at.get(chat, 0) <= loop.time():
                    self._busy.add(chat)
                    task = asyncio.create_task(self._handle_chat(chat))
                    self._chat_tasks.add(task)
                    task.add_done_callback(self._chat_tasks.discard)
            self._wake.clear()
            try:
                await asyncio.wait_for(self._wake.wait(), timeout=self.retry_delay)
            except asyncio.TimeoutError:
                pass

    async def _handle_chat(self, chat: str) -> None:
        try:
            while True:
                with self.db.session() as s:
                    row = oldest_pending(s, chat)
                if row is None:
                    return
                if not await self._handle(row.id, row.payload):
                    self._retry_at[chat] = asyncio.get_running_loop().time() + self.retry_delay
                    return
                self._retry_at.pop(chat, None)
        finally:
            self._busy.discard(chat)
            if chat not in self._retry_at:
                self._wake.set()  # updates may have arrived while this chat was busy

    async def _handle(self, row_id: int, payload: dict) -> bool:
        """Handle one stored update. False: the assistant is unreachable, try again later."""
        update = Update.de_json(payload, self.application.bot)
        await self.application.process_update(update)
        error = self._errors.pop(update.update_id, None)
        if isinstance(error, AssistantUnavailable):
            with self.db.session() as s, s.begin():
                tell = postpone(s, row_id, repr(error))
            if tell and update.effective_chat:
                await self._say(update.effective_chat.id, residents.PLEASE_WAIT)
            return False
        if error is not None:
            log.error("update %s failed", update.update_id, exc_info=error)
            if update.effective_chat:
                await self._say(update.effective_chat.id, residents.SORRY)
        with self.db.session() as s, s.begin():
            finish(s, row_id, UpdateStatus.failed if error else UpdateStatus.done, repr(error) if error else None)
        return True

    async def _say(self, chat_id: int, text: str) -> None:
        await send(self.application.bot, self.db, chat_id, Reply(text))

    async def webhook_app(self) -> web.Application:
        """Telegram's webhook: the secret token is checked, the update stored, then acknowledged."""
        secret = self.settings.webhook_secret or ""

        async def receive(request: web.Request) -> web.Response:
            if not secret or not hmac.compare_digest(request.headers.get(SECRET_HEADER, ""), secret):
                return web.Response(status=403)
            try:
                update = Update.de_json(await request.json(), self.application.bot)
            except (ValueError, TypeError, TelegramError):
                return web.Response(status=400)
            self.accept([update])
            return web.Response(status=200)

        app = web.Application()
        app.router.add_post("/telegram", receive)
        return app

    async def run(self) -> None:
        """Serve until cancelled: polling, or the webhook when a webhook URL is configured."""
        async with self.application:
            await self.application.bot.set_my_commands(COMMANDS)
            await self.application.start()
            runner = None
            try:
                if self.settings.webhook_url:
                    if not self.settings.webhook_secret:
                        raise ValueError("TELEGRAM_WEBHOOK_SECRET is required with TELEGRAM_WEBHOOK_URL")
                    runner = web.AppRunner(await self.webhook_app())
                    await runner.setup()
                    await web.TCPSite(runner, self.settings.webhook_listen, self.settings.webhook_port).start()
                    await self.application.bot.set_webhook(
                        self.settings.webhook_url,
                        secret_token=self.settings.webhook_secret,
                        allowed_updates=Update.ALL_TYPES,
                        drop_pending_updates=False,
                    )
                    await asyncio.gather(self.dispatch_forever(), self.case_worker.run_forever())
                else:
                    await asyncio.gather(self.poll_forever(), self.dispatch_forever(), self.case_worker.run_forever())
            finally:
                for task in list(self._chat_tasks):
                    task.cancel()
                if runner:
                    await runner.cleanup()
                await self.application.bot_data.router.aclose()
                await self.application.stop()
