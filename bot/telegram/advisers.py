"""python-telegram-bot handlers for village legal advisers: 接手 / 转给他人 on an offer, replies
that reach the resident, /cases, /case N, /close outcome and /return. What an adviser may do is
decided by handoff.adviser_desk; these handlers only translate Telegram's updates and talk."""

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.telegram.context import Context
from bot.telegram.delivery import send
from bot.telegram.updates import callback, chat_id, message, user_id
from handoff import adviser_desk
from handoff.adviser_desk import AdviserMessage, ToAdviser
from handoff.repository import active_adviser
from storage.db import Database, utcnow
from texts import advisers
from texts.reply import Reply

ADVISER_COMMANDS = ("cases", "case", "close", "return")


class FromAdviser(filters.UpdateFilter):
    """Updates from a registered, active adviser (looked up in the database every time, so a
    deactivated adviser is refused at once)."""

    def __init__(self, db: Database):
        super().__init__()
        self.db = db

    def filter(self, update: Update) -> bool:
        with self.db.session() as s:
            return active_adviser(s, update.effective_user.id if update.effective_user else None) is not None


def _incoming(sent: Message, user: int) -> AdviserMessage:
    quoted = sent.reply_to_message
    return AdviserMessage(
        telegram_user_id=user,
        chat_id=sent.chat_id,
        message_id=sent.message_id,
        text=sent.text or sent.caption or "",
        media=sent.text is None,
        quoted_message_id=quoted.message_id if quoted else None,
    )


async def _tell(update: Update, context: Context, told: ToAdviser) -> None:
    context.bot_data.case_worker.wake()  # the decision may have queued messages to deliver
    if told.text:
        await send(context.bot, context.bot_data.db, chat_id(update), Reply(told.text, told.buttons))


async def offer_button(update: Update, context: Context) -> None:
    """接手 or 转给他人, pressed on an offer."""
    query, data = callback(update)
    _, action, case_id = data.split(":")
    with context.bot_data.db.session() as s, s.begin():
        told = adviser_desk.answer_offer(
            s, query.from_user.id, int(case_id), action == "take", context.bot_data.handoff, utcnow()
        )
    await query.answer()
    await _tell(update, context, told)


async def select_button(update: Update, context: Context) -> None:
    query, data = callback(update)
    with context.bot_data.db.session() as s, s.begin():
        told = adviser_desk.choose_case(s, query.from_user.id, int(data.split(":")[2]))
    await query.answer()
    await _tell(update, context, told)


async def adviser_message(update: Update, context: Context) -> None:
    """Text or media from an adviser: relayed to the resident of the case it belongs to."""
    incoming = _incoming(message(update), user_id(update))
    with context.bot_data.db.session() as s, s.begin():
        told = adviser_desk.relay(s, incoming, context.bot_data.handoff, utcnow())
    await _tell(update, context, told)


async def adviser_command(update: Update, context: Context) -> None:
    """/cases, /case N, /close outcome, /return [note]."""
    sent = message(update)
    text = sent.text or ""
    command = text.split()[0].lstrip("/").split("@")[0]
    argument = text.partition(" ")[2].strip()
    user = user_id(update)
    with context.bot_data.db.session() as s, s.begin():
        if command == "cases":
            told = adviser_desk.list_cases(s, user)
        elif command == "case":
            told = adviser_desk.choose_case(s, user, int(argument) if argument.isdigit() else None)
        else:
            told = adviser_desk.end_case(s, _incoming(sent, user), command == "close", argument, utcnow())
    await _tell(update, context, told)


async def adviser_edited(update: Update, context: Context) -> None:
    await _tell(update, context, ToAdviser(advisers.EDIT_NOT_RELAYED))


async def adviser_help(update: Update, context: Context) -> None:
    await _tell(update, context, ToAdviser(advisers.ADVISER_HELP))


def add_adviser_handlers(application: Application, db: Database) -> None:
    """Before the residents' handlers: advisers' updates never reach the assistant. The cheap
    filters come first, so a resident's message costs one registry lookup, not one per handler."""
    from_adviser = FromAdviser(db)
    application.add_handler(CallbackQueryHandler(select_button, pattern=r"^case:select:\d+$"))
    application.add_handler(CallbackQueryHandler(offer_button, pattern=r"^case:(take|pass):\d+$"))
    application.add_handler(CommandHandler(list(ADVISER_COMMANDS), adviser_command))
    application.add_handler(CommandHandler(["start", "help"], adviser_help, filters=from_adviser))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED & from_adviser, adviser_edited))
    application.add_handler(MessageHandler(~filters.COMMAND & from_adviser, adviser_message))
