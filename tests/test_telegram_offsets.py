"""Telegram's update ids restart at random after a week without updates: a new update may come
with a lower id, or with an id used before, and must be handled once, like any other. Commands
answered by the channel itself (/help), so no Rasa server is needed."""

from __future__ import annotations

import asyncio
import contextlib
import json

from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session
from telegram import Bot, Update

from bot.telegram.channel import TelegramChannel
from bot.telegram.inbox import digest, oldest_pending, store
from bot.telegram.models import InboundUpdate
from config.settings import HandoffSettings, TelegramSettings
from ops.servers import free_port
from storage.db import Database, migrate
from tests.fake_telegram import TOKEN, FakeTelegram
from texts.residents import HELP, START


def _updates(api: FakeTelegram, raw: list[dict]) -> list[Update]:
    bot = Bot(TOKEN, base_url=api.base_url)
    return [Update.de_json(u, bot) for u in raw]


def test_a_reused_id_is_a_new_update_and_a_redelivery_is_not(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'kb.db'}")
    api = FakeTelegram()
    first = api.text(42, "第一个问题")
    api.restart_update_ids(first["update_id"])  # the very same id, for a different message
    second = api.text(42, "第二个问题")
    with db.session() as s, s.begin():
        assert store(s, _updates(api, [first, second])) == 2
    with db.session() as s, s.begin():
        assert store(s, _updates(api, [dict(second), dict(first)])) == 0  # redelivered
    with db.session() as s:
        texts = [row.payload["message"]["text"] for row in s.scalars(select(InboundUpdate).order_by(InboundUpdate.id))]
        assert texts == ["第一个问题", "第二个问题"]
        assert oldest_pending(s, "42").payload["message"]["text"] == "第一个问题"  # handled in arrival order


def test_after_ids_restart_lower_new_messages_are_answered_once(tmp_path):
    async def scenario():
        async with FakeTelegram() as api:
            channel = TelegramChannel(
                TelegramSettings(token=TOKEN, base_url=api.base_url),
                HandoffSettings(),
                Database(f"sqlite:///{tmp_path / 'kb.db'}"),
                f"http://127.0.0.1:{free_port()}",  # never asked: /help is answered by the channel
                retry_delay=0.5,
                poll_timeout=1,
            )
            task = asyncio.create_task(channel.run())
            try:
                before = api.text(7, "/help")
                await api.wait_for(lambda: len(api.to(7)) == 1)
                api.restart_update_ids(before["update_id"] - 1000)
                after = api.text(7, "/help")
                await api.wait_for(lambda: len(api.to(7)) == 2)
                api.restart_update_ids(before["update_id"])  # an id already stored, a new message
                api.text(7, "/help")
                await api.wait_for(lambda: len(api.to(7)) == 3)
                api.redeliver(after)
                await api.wait_for(lambda: not api.updates)  # everything received was confirmed
                api.text(7, "/start")  # a last message: anything doubled would be answered before it
                await api.wait_for(lambda: any(m.text == START for m in api.to(7)))
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
            assert [m.text for m in api.to(7)] == [HELP] * 3 + [START]

    asyncio.run(asyncio.wait_for(scenario(), timeout=120))


def test_the_migration_keeps_stored_updates_and_gives_them_digests(tmp_path):
    eng = create_engine(f"sqlite:///{tmp_path / 'old.db'}", future=True)
    migrate(eng, "0005")
    payloads = [{"update_id": n, "message": {"message_id": n, "text": f"问题{n}"}} for n in (9, 7)]
    with eng.begin() as connection:
        for payload in payloads:
            connection.execute(
                text(
                    "INSERT INTO telegram_updates (update_id, chat_id, payload, status, attempts,"
                    " resident_told_to_wait, received_at)"
                    " VALUES (:id, '42', :payload, 'done', 1, 0, '2026-12-01 10:00:00.000000')"
                ),
                {"id": payload["update_id"], "payload": json.dumps(payload)},
            )
    migrate(eng)
    with Session(eng) as s:
        rows = s.scalars(select(InboundUpdate).order_by(InboundUpdate.id)).all()
        assert [(r.update_id, r.digest) for r in rows] == [(7, digest(payloads[1])), (9, digest(payloads[0]))]
