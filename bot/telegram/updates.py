"""The parts of an update a handler needs. python-telegram-bot types them as optional because
not every kind of update has them; each handler is registered only for updates that do, so a
missing part is a programming error, reported as such."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update


class MissingPart(ValueError):
    pass


def chat_id(update: Update) -> int:
    if update.effective_chat is None:
        raise MissingPart(f"update {update.update_id} has no chat")
    return update.effective_chat.id


def user_id(update: Update) -> int:
    if update.effective_user is None:
        raise MissingPart(f"update {update.update_id} has no user")
    return update.effective_user.id


def message(update: Update) -> Message:
    if update.effective_message is None:
        raise MissingPart(f"update {update.update_id} has no message")
    return update.effective_message


def callback(update: Update) -> tuple[CallbackQuery, str]:
    """The pressed button's query and its data."""
    query = update.callback_query
    if query is None or query.data is None:
        raise MissingPart(f"update {update.update_id} has no button data")
    return query, query.data
