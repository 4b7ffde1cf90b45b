"""The advisers' side of the bot: 接手 / 转给他人 on an offer, replies that reach the resident,
/cases, /case N, /close outcome and /return. Only registered, active advisers are served;
every other attempt is refused and written to the audit log."""
from __future__ import annotations

from sqlalchemy import select
from telegram import Message, Update
from telegram.ext import Application, CallbackQueryHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.replies import Reply
from bot.telegram.residents import send
from handoff import texts
from handoff.cases import WITH_ADVISER, audit, utcnow
from handoff.conversation import close, from_adviser, hand_back
from handoff.models import Adviser, Case, CaseMessage
from handoff.routing import pass_on, take
from storage.db import session

ADVISER_COMMANDS = ("cases", "case", "close", "return")


def registered(session_, user_id: int | None) -> Adviser | None:
    if user_id is None:
        return None
    return session_.scalars(select(Adviser).where(Adviser.telegram_user_id == user_id,
                                                  Adviser.active.is_(True))).one_or_none()


class FromAdviser(filters.UpdateFilter):
    """Updates from a registered, active adviser (looked up in the database every time, so a
    deactivated adviser is refused at once)."""

    def filter(self, update: Update) -> bool:
        with session() as s:
            return registered(s, update.effective_user.id if update.effective_user else None) is not None


def _worker(context: ContextTypes.DEFAULT_TYPE):
    return context.bot_data["case_worker"]


async def _say(context: ContextTypes.DEFAULT_TYPE, chat_id: int, text: str, buttons: list[dict] | None = None) -> None:
    await send(context.bot, chat_id, Reply(text, buttons or []))


async def case_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """接手 or 转给他人, pressed on an offer."""
    query = update.callback_query
    _, action, case_id = query.data.split(":")
    settings = context.bot_data["router"].handoff
    with session() as s, s.begin():
        adviser = registered(s, query.from_user.id)
        if adviser is None:
            audit(s, f"telegram:{query.from_user.id}", action, int(case_id), allowed=False, detail="not a registered adviser")
            reply = texts.ADVISERS_ONLY
        elif action == "take":
            reply = take(s, int(case_id), adviser, settings, utcnow()).reply
        else:
            reply = pass_on(s, int(case_id), adviser, settings, utcnow())
    await query.answer()
    _worker(context).wake()
    await _say(context, update.effective_chat.id, reply)


def _case_of_reply(s, adviser: Adviser, message: Message) -> Case | None:
    """The case an adviser's reply belongs to: the case message it quotes (from the map), else
    the case chosen with /case, else the only case the adviser holds."""
    quoted = message.reply_to_message
    if quoted is not None:
        case_id = s.scalar(select(CaseMessage.case_id).where(CaseMessage.chat_id == message.chat_id,
                                                             CaseMessage.sent_message_id == quoted.message_id))
        if case_id is not None:
            return s.get(Case, case_id)
    held = my_cases(s, adviser)
    chosen = next((c for c in held if c.id == adviser.current_case_id), None)
    if chosen is not None:
        return chosen
    return held[0] if len(held) == 1 else None


def holds(adviser: Adviser, case: Case) -> bool:
    """The adviser holds this case now (only then may they reply, choose, close or return it)."""
    return case.adviser_id == adviser.id and case.status in WITH_ADVISER


def my_cases(s, adviser: Adviser) -> list[Case]:
    return list(s.scalars(select(Case).where(Case.adviser_id == adviser.id, Case.status.in_(WITH_ADVISER))
                          .order_by(Case.id)))


def _choose_buttons(cases: list[Case]) -> list[dict]:
    return [{"title": f"#{c.id}", "payload": f"case:select:{c.id}"} for c in cases]


async def adviser_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Text or media from an adviser: relayed to the resident of the case it belongs to."""
    message = update.effective_message
    settings = context.bot_data["router"].handoff
    with session() as s, s.begin():
        adviser = registered(s, update.effective_user.id)
        case = _case_of_reply(s, adviser, message)
        if case is None:
            held = my_cases(s, adviser)
            reply, buttons = (texts.WHICH_CASE, _choose_buttons(held)) if held else (texts.NO_CASE, [])
        elif not holds(adviser, case):
            audit(s, f"adviser:{adviser.code}", "reply", case.id, allowed=False, detail=f"case is {case.status}")
            reply, buttons = texts.NOT_YOURS.format(case_id=case.id), []
        else:
            media = message.text is None
            reply = from_adviser(s, case, adviser, message.text or message.caption or "",
                                 (message.chat_id, message.message_id), media, settings, utcnow())
            buttons = []
    _worker(context).wake()
    if reply:
        await _say(context, update.effective_chat.id, reply, buttons)


async def adviser_command(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """/cases, /case N, /close outcome, /return [note]."""
    message = update.effective_message
    command = message.text.split()[0].lstrip("/").split("@")[0]
    argument = message.text.partition(" ")[2].strip()
    with session() as s, s.begin():
        adviser = registered(s, update.effective_user.id)
        if adviser is None:
            audit(s, f"telegram:{update.effective_user.id}", command, allowed=False, detail="not a registered adviser")
            reply = texts.ADVISERS_ONLY
        elif command == "cases":
            reply = _list_cases(s, adviser)
        elif command == "case":
            reply = _select(s, adviser, int(argument) if argument.isdigit() else None)
        else:
            reply = _end_case(s, adviser, message, command, argument)
    _worker(context).wake()
    await _say(context, update.effective_chat.id, reply)


def _list_cases(s, adviser: Adviser) -> str:
    held = my_cases(s, adviser)
    audit(s, f"adviser:{adviser.code}", "list_cases")
    if not held:
        return texts.NO_CASE
    lines = [f"#{c.id} {c.topic} {c.status}{' ←' if c.id == adviser.current_case_id else ''}" for c in held]
    return texts.MY_CASES + "\n" + "\n".join(lines)


def _select(s, adviser: Adviser, case_id: int | None) -> str:
    case = s.get(Case, case_id) if case_id else None
    if case is None or not holds(adviser, case):
        audit(s, f"adviser:{adviser.code}", "select", case_id, allowed=False)
        return texts.NOT_YOURS.format(case_id=case_id or "?")
    adviser.current_case_id = case.id
    audit(s, f"adviser:{adviser.code}", "select", case.id)
    return texts.SELECTED.format(case_id=case.id)


def _end_case(s, adviser: Adviser, message: Message, command: str, argument: str) -> str:
    case = _case_of_reply(s, adviser, message)
    if case is None:
        return texts.WHICH_CASE if my_cases(s, adviser) else texts.NO_CASE
    if not holds(adviser, case):
        audit(s, f"adviser:{adviser.code}", command, case.id, allowed=False, detail=f"case is {case.status}")
        return texts.NOT_YOURS.format(case_id=case.id)
    if command == "close":
        return close(s, case, adviser, argument, utcnow()) if argument else texts.CLOSE_NEEDS_OUTCOME
    return hand_back(s, case, adviser, argument, utcnow())


async def select_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    with session() as s, s.begin():
        adviser = registered(s, query.from_user.id)
        reply = texts.ADVISERS_ONLY if adviser is None else _select(s, adviser, int(query.data.split(":")[2]))
    await query.answer()
    await _say(context, update.effective_chat.id, reply)


async def adviser_edited(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _say(context, update.effective_chat.id, texts.EDIT_NOT_RELAYED)


async def adviser_help(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    await _say(context, update.effective_chat.id, texts.ADVISER_HELP)


def add_adviser_handlers(application: Application) -> None:
    """Before the residents' handlers: advisers' updates never reach the assistant. The cheap
    filters come first, so a resident's message costs one registry lookup, not one per handler."""
    from_adviser_filter = FromAdviser()
    application.add_handler(CallbackQueryHandler(select_button, pattern=r"^case:select:\d+$"))
    application.add_handler(CallbackQueryHandler(case_button, pattern=r"^case:(take|pass):\d+$"))
    application.add_handler(CommandHandler(list(ADVISER_COMMANDS), adviser_command))
    application.add_handler(CommandHandler(["start", "help"], adviser_help, filters=from_adviser_filter))
    application.add_handler(MessageHandler(filters.UpdateType.EDITED & from_adviser_filter, adviser_edited))
    application.add_handler(MessageHandler(~filters.COMMAND & from_adviser_filter, adviser_message))
