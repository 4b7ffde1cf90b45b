"""What the Telegram tests share: a channel on the test core's database talking to the fake Bot
API, and ways to wait for what a test expects."""

from __future__ import annotations

import asyncio
import contextlib
import random

from sqlalchemy import func, select

from bot.telegram.channel import TelegramChannel
from bot.telegram.models import InboundUpdate, UpdateStatus
from config.settings import HandoffSettings, TelegramSettings
from tests.fake_telegram import TOKEN, FakeTelegram


def new_chat() -> int:
    return random.randint(10**8, 10**9)


def new_channel(
    api: FakeTelegram,
    core,
    rasa_url: str | None = None,
    handoff: HandoffSettings | None = None,
    telegram: TelegramSettings | None = None,
    **options,
) -> TelegramChannel:
    """The channel on the core's database, talking to the fake Bot API (and to ``rasa_url``,
    the core's Rasa server unless given)."""
    return TelegramChannel(
        telegram or TelegramSettings(token=TOKEN, base_url=api.base_url),
        handoff or core.settings.handoff,
        core.db,
        rasa_url or core.url,
        **options,
    )


@contextlib.asynccontextmanager
async def channel_running(api: FakeTelegram, core, handoff: HandoffSettings | None = None, **options):
    channel = new_channel(api, core, handoff=handoff, retry_delay=0.5, poll_timeout=1, **options)
    task = asyncio.create_task(channel.run())
    try:
        yield channel
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def one_exchange_then_stop(api: FakeTelegram, core) -> int:
    """A chat that had one answered message; the channel is stopped afterwards."""
    chat = new_chat()
    async with channel_running(api, core):
        api.text(chat, "/help")
        await api.wait_for(lambda: len(api.to(chat)) == 1)
    return chat


async def settled(api: FakeTelegram, core, chats: list[int], timeout: float = 60.0) -> None:
    """Wait until Telegram holds no unacknowledged update and every stored update of ``chats``
    has been handled: after this, nothing more is on its way to them."""
    keys = [str(chat) for chat in chats]

    def nothing_pending() -> bool:
        if api.updates:
            return False
        with core.db.session() as s:
            return not s.scalar(
                select(func.count())
                .select_from(InboundUpdate)
                .where(InboundUpdate.chat_id.in_(keys), InboundUpdate.status == UpdateStatus.pending)
            )

    await api.wait_for(nothing_pending, timeout)


def run(scenario) -> None:
    asyncio.run(asyncio.wait_for(scenario(), timeout=300))


def stored_status(core, update_id: int) -> tuple[str, int] | None:
    """The newest stored update with this id: its status and how often it was tried."""
    with core.db.session() as s:
        row = s.scalars(
            select(InboundUpdate).where(InboundUpdate.update_id == update_id).order_by(InboundUpdate.id.desc()).limit(1)
        ).one_or_none()
        return (row.status, row.attempts) if row else None


def attempts(core, update_id: int) -> int:
    found = stored_status(core, update_id)
    return found[1] if found else 0
