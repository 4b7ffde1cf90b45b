"""python-telegram-bot handlers for residents: each Telegram chat is one conversation, and each
handler passes what the resident sent to the router and sends back what it answers."""

from __future__ import annotations

from telegram import BotCommand, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.router import CANCEL, FORGET, REQUEST_HUMAN, Inbound
from bot.telegram.context import Context
from bot.telegram.delivery import send
from bot.telegram.format import payload_from
from bot.telegram.models import SENDER_PREFIX
from bot.telegram.updates import callback, chat_id, message
from texts import residents
from texts.reply import Reply

COMMANDS = [BotCommand(command, description) for command, description in residents.COMMAND_MENU.items()]


def sender_id(update: Update) -> str:
    """Rasa's conversation id: one per Telegram chat, stable across restarts."""
    return f"{SENDER_PREFIX}{chat_id(update)}"


async def _send_all(update: Update, context: Context, replies: list[Reply]) -> None:
    for reply in replies:
        await send(context.bot, context.bot_data.db, chat_id(update), reply)


async def consult(update: Update, context: Context, message: str, media: bool = False, typed: bool = True) -> None:
    """Pass the resident's message to the router (assistant, intake or adviser) and send the
    replies back in order; ``typed`` False for a button's payload or a command's. Assistant-
    Unavailable propagates: the channel keeps the update and retries it."""
    source = update.effective_message
    inbound = Inbound(chat_id(update), source.message_id if source else None, media, typed)
    replies = await context.bot_data.router.handle(sender_id(update), message, inbound)
    context.bot_data.case_worker.wake()  # a message for an adviser may have been queued
    await _send_all(update, context, replies)


async def start(update: Update, context: Context) -> None:
    await _send_all(update, context, [Reply(residents.START)])


async def help_command(update: Update, context: Context) -> None:
    await _send_all(update, context, [Reply(residents.HELP)])


async def human(update: Update, context: Context) -> None:
    await consult(update, context, REQUEST_HUMAN, typed=False)


async def cancel(update: Update, context: Context) -> None:
    await consult(update, context, CANCEL, typed=False)


async def forget(update: Update, context: Context) -> None:
    """Asks for confirmation with a button, then deletes the resident's data (bot/forget.py)."""
    await consult(update, context, FORGET, typed=False)


async def restart(update: Update, context: Context) -> None:
    await _send_all(update, context, await context.bot_data.router.restart(sender_id(update)))
    context.bot_data.case_worker.wake()  # the adviser of an ended case is told


async def text(update: Update, context: Context) -> None:
    """Typed text, also one that looks like a command but is none of ours (/kb_…, /request_human):
    the assistant reads it as words."""
    await consult(update, context, message(update).text or "")


async def button(update: Update, context: Context) -> None:
    query, data = callback(update)
    await query.answer()
    await consult(update, context, payload_from(data), typed=False)


async def not_text(update: Update, context: Context) -> None:
    """Voice, photo, file…: the assistant cannot read them, an adviser holding the case can."""
    await consult(update, context, message(update).caption or "", media=True)


async def edited(update: Update, context: Context) -> None:
    await _send_all(update, context, [Reply(residents.EDITED)])


def add_handlers(application: Application) -> None:
    application.add_handler(CommandHandler("start", start))
    application.add_handler(CommandHandler("help", help_command))
    application.add_handler(CommandHandler("human", human))
    application.add_handler(CommandHandler("cancel", cancel))
    application.add_handler(CommandHandler("restart", restart))
    application.add_handler(CommandHandler("forget", forget))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED, edited))
    application.add_handler(CallbackQueryHandler(button))
    application.add_handler(MessageHandler(filters.TEXT, text))  # an unknown /command too
    application.add_handler(MessageHandler(filters.ALL, not_text))  # voice, photo, sticker, location, …
