"""What every Telegram handler shares, typed: python-telegram-bot creates it per application and
the channel fills it in at start-up."""

from __future__ import annotations

from typing import TYPE_CHECKING

from telegram.ext import CallbackContext, ExtBot

if TYPE_CHECKING:
    from bot.router import Router
    from bot.telegram.relay import CaseWorker
    from config.settings import HandoffSettings
    from storage.db import Database


class BotData:
    router: Router
    case_worker: CaseWorker
    handoff: HandoffSettings
    db: Database


Context = CallbackContext[ExtBot, dict, dict, BotData]
