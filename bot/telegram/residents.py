"""python-telegram-bot handlers: each Telegram chat is one conversation with the assistant."""
from __future__ import annotations

import logging

from telegram import Bot, BotCommand, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError
from telegram.ext import (Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler,
                          filters)
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from bot.replies import Reply
from bot.router import NOTHING_TO_CANCEL, Inbound, Router
from bot.telegram.format import keyboard, payload_from, split_message
from bot.telegram.inbox import record_delivery_failure
from storage.db import session

log = logging.getLogger(__name__)

START = ("您好！我是广州法律咨询小助手。\n"
         "可以问我婚姻家庭、继承遗嘱、房屋邻里、借钱合同、老年人公证、村（居）委会选举等常见法律问题，"
         "回答会写明法律依据。\n直接用文字说您遇到的事就行；需要真人帮忙，发送 /human。")
HELP = ("怎么用：\n1. 用文字说出您的问题，比如“离婚冷静期多久”“爸爸的遗嘱有两份听哪份”。\n"
        "2. 有按钮时点一下按钮就行。\n3. 想查法律条文，发“民法典第1134条”。\n"
        "/human 请村居法律顾问帮忙\n/cancel 不再等法律顾问\n/restart 重新开始对话\n紧急危险请直接拨打110。")
RESTARTED = "好的，已重新开始。请说说您想问的事。"
EDITED = "我看到您修改了刚才的消息。我是按修改前的内容回复的；如果问题变了，请把新问题重新发一次。"
COMMANDS = [BotCommand("start", "开始使用"), BotCommand("help", "怎么用"),
            BotCommand("human", "找村居法律顾问"), BotCommand("cancel", "不再等法律顾问"),
            BotCommand("restart", "重新开始对话")]
CHOOSE = "请选择："  # Telegram needs text with buttons
SEND_ATTEMPTS = 4


def sender_id(update: Update) -> str:
    """Rasa's conversation id: one per Telegram chat, stable across restarts."""
    return f"tg-{update.effective_chat.id}"


def _retryable(error: BaseException) -> bool:
    # 429 (RetryAfter) is waited out by the rate limiter; BadRequest would fail again.
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


async def send(bot: Bot, chat_id: int, reply: Reply) -> None:
    """Send one reply, split under Telegram's limit, buttons on its last part. Network errors
    and 5xx are retried with backoff; what still fails is recorded, never silently lost."""
    parts = split_message(reply.text or (CHOOSE if reply.buttons else ""))
    for number, text in enumerate(parts, 1):
        markup = keyboard(reply.buttons) if number == len(parts) else None
        try:
            async for attempt in AsyncRetrying(stop=stop_after_attempt(SEND_ATTEMPTS),
                                               wait=wait_exponential(multiplier=0.5, max=10),
                                               retry=retry_if_exception(_retryable), reraise=True):
                with attempt:
                    await bot.send_message(chat_id, text, parse_mode=ParseMode.HTML, reply_markup=markup)
        except Exception as error:  # noqa: BLE001 - every failure is recorded for follow-up
            log.exception("delivery to chat %s failed", chat_id)
            with session() as s, s.begin():
                record_delivery_failure(s, chat_id, text, repr(error))


async def consult(update: Update, context: ContextTypes.DEFAULT_TYPE, message: str, media: bool = False) -> None:
    """Pass the resident's message to the router (assistant, intake or adviser) and send the
    replies back in order. AssistantUnavailable propagates: the channel keeps the update and
    retries it."""
    router: Router = context.bot_data["router"]
    source = update.effective_message
    inbound = Inbound(update.effective_chat.id, source.message_id if source else None, media)
    replies = await router.handle(sender_id(update), message, inbound)
    context.bot_data["case_worker"].wake()  # a message for an adviser may have been queued
    for reply in replies:
        await send(context.bot, update.effective_chat.id, reply)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(context.bot, update.effective_chat.id, Reply(START))


async def help_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(context.bot, update.effective_chat.id, Reply(HELP))


async def human(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await consult(update, context, "/request_human")


async def cancel(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await consult(update, context, "/cancel")


async def restart(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Ends a case with a person, if any, and makes the assistant forget the conversation."""
    router: Router = context.bot_data["router"]
    for reply in await router.handle(sender_id(update), "/cancel"):
        if reply.text != NOTHING_TO_CANCEL:
            await send(context.bot, update.effective_chat.id, reply)
    await router.handle(sender_id(update), "/restart")  # Rasa's built-in intent: forget the conversation
    await send(context.bot, update.effective_chat.id, Reply(RESTARTED))


async def text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await consult(update, context, update.message.text)


async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    await query.answer()
    await consult(update, context, payload_from(query.data))


async def not_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Voice, photo, file…: the assistant cannot read them, an adviser holding the case can."""
    message = update.effective_message
    await consult(update, context, (message.caption or "") if message else "", media=True)


async def edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await send(context.bot, update.effective_chat.id, Reply(EDITED))


def add_handlers(application: Application) -> None:
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("human", human))
    application.add_handler(CommandHandler("cancel", cancel))
    application.add_handler(CommandHandler("restart", restart))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, edited))
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, text))
    application.add_handler(MessageHandler(filters.COMMAND, help_command))  # an unknown /command
    application.add_handler(MessageHandler(filters.ALL, not_text))  # voice, photo, sticker, location, …
