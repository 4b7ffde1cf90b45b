"""The Telegram channel: updates are stored before they are acknowledged, then handled in
order per chat (chats in parallel); an update whose handling failed because the assistant was
unreachable stays pending and is retried, and the resident is told once to wait.

Long polling for development (getUpdates with the stored offset); a webhook with Telegram's
secret-token check for production. Never drop pending updates.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import os
from dataclasses import dataclass

from aiohttp import web
from telegram import Update
from telegram.error import NetworkError, TelegramError
from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, ContextTypes

from bot.replies import Reply
from bot.router import AssistantUnavailable, Router
from bot.telegram.advisers import add_adviser_handlers
from bot.telegram.residents import COMMANDS, add_handlers, send
from bot.telegram.relay import CaseWorker
from bot.telegram.inbox import finish, next_offset, oldest_pending, pending_chats, postpone, store
from handoff.settings import HandoffSettings
from storage.db import session

log = logging.getLogger(__name__)

PLEASE_WAIT = "收到您的消息了。系统有点忙，请稍等，我稍后会自动回复您，不用重发。"
SORRY = "抱歉，处理您的消息时出了问题。请换个说法再发一次，或发送 /human 请法律顾问帮忙；着急可拨打12348。"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@dataclass
class TelegramSettings:
    token: str
    base_url: str = "https://api.telegram.org/bot"
    webhook_url: str | None = None
    webhook_secret: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443

    @classmethod
    def from_env(cls) -> "TelegramSettings | None":
        token = os.environ.get("TELEGRAM_BOT_TOKEN")
        if not token:
            return None
        return cls(token=token,
                   base_url=os.environ.get("TELEGRAM_API_BASE_URL", cls.base_url),
                   webhook_url=os.environ.get("TELEGRAM_WEBHOOK_URL") or None,
                   webhook_secret=os.environ.get("TELEGRAM_WEBHOOK_SECRET") or None,
                   webhook_listen=os.environ.get("TELEGRAM_WEBHOOK_LISTEN", cls.webhook_listen),
                   webhook_port=int(os.environ.get("TELEGRAM_WEBHOOK_PORT", cls.webhook_port)))


class TelegramChannel:
    def __init__(self, settings: TelegramSettings, rasa_url: str, retry_delay: float = 5.0,
                 poll_timeout: int = 25, handoff: HandoffSettings | None = None):
        self.settings = settings
        self.retry_delay = retry_delay
        self.poll_timeout = poll_timeout
        self.application: Application = (
            ApplicationBuilder().token(settings.token).base_url(settings.base_url)
            .rate_limiter(AIORateLimiter(max_retries=3)).updater(None).build())
        router = Router(rasa_url, handoff=handoff)
        self.case_worker = CaseWorker(self.application.bot, router.handoff)
        self.application.bot_data.update(router=router, case_worker=self.case_worker)
        add_adviser_handlers(self.application)
        add_handlers(self.application)
        self.application.add_error_handler(self._remember_error)
        self._errors: dict[int, BaseException] = {}
        self._busy: set[str] = set()
        self._retry_at: dict[str, float] = {}  # chats waiting for the assistant to come back
        self._chat_tasks: set[asyncio.Task] = set()
        self._wake = asyncio.Event()

    async def _remember_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if isinstance(update, Update):
            self._errors[update.update_id] = context.error

    def accept(self, updates: list[Update]) -> int:
        """Store updates (deduplicated) and wake the dispatcher; returns how many were new."""
        with session() as s, s.begin():
            new = store(s, updates)
        self._wake.set()
        return new

    async def poll_forever(self) -> None:
        """Long polling: each getUpdates acknowledges only what was stored before it."""
        bot = self.application.bot
        await bot.delete_webhook(drop_pending_updates=False)
        while True:
            with session() as s:
                offset = next_offset(s)
            try:
                updates = await bot.get_updates(offset=offset, timeout=self.poll_timeout,
                                                allowed_updates=Update.ALL_TYPES)
            except NetworkError as error:  # Telegram or the network is down: back off, keep going
                log.warning("getUpdates failed: %s", error)
                await asyncio.sleep(self.retry_delay)
                continue
            if updates:
                self.accept(list(updates))

    async def dispatch_forever(self) -> None:
        """Hand each chat's pending updates, oldest first, to one task per chat."""
        loop = asyncio.get_running_loop()
        while True:
            with session() as s:
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
                with session() as s:
                    row = oldest_pending(s, chat)
                if row is None:
                    return
                if not await self._handle(row.update_id, row.payload):
                    self._retry_at[chat] = asyncio.get_running_loop().time() + self.retry_delay
                    return
                self._retry_at.pop(chat, None)
        finally:
            self._busy.discard(chat)
            if chat not in self._retry_at:
                self._wake.set()  # updates may have arrived while this chat was busy

    async def _handle(self, update_id: int, payload: dict) -> bool:
        """Handle one stored update. False: the assistant is unreachable, try again later."""
        update = Update.de_json(payload, self.application.bot)
        await self.application.process_update(update)
        error = self._errors.pop(update_id, None)
        if isinstance(error, AssistantUnavailable):
            with session() as s, s.begin():
                tell = postpone(s, update_id, repr(error))
            if tell and update.effective_chat:
                await self._say(update.effective_chat.id, PLEASE_WAIT)
            return False
        if error is not None:
            log.error("update %s failed", update_id, exc_info=error)
            if update.effective_chat:
                await self._say(update.effective_chat.id, SORRY)
        with session() as s, s.begin():
            finish(s, update_id, "failed" if error else "done", repr(error) if error else None)
        return True

    async def _say(self, chat_id: int, text: str) -> None:
        await send(self.application.bot, chat_id, Reply(text))

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
                        self.settings.webhook_url, secret_token=self.settings.webhook_secret,
                        allowed_updates=Update.ALL_TYPES, drop_pending_updates=False)
                    await asyncio.gather(self.dispatch_forever(), self.case_worker.run_forever())
                else:
                    await asyncio.gather(self.poll_forever(), self.dispatch_forever(),
                                         self.case_worker.run_forever())
            finally:
                for task in list(self._chat_tasks):
                    task.cancel()
                if runner:
                    await runner.cleanup()
                await self.application.bot_data["router"].aclose()
                await self.application.stop()
