"""Telegram under faults and load: 429, 5xx and dropped connections, duplicated updates, restarts
and crashes, an unreachable assistant, and 50 residents at once. Nothing is lost or doubled."""

from __future__ import annotations

import asyncio
import contextlib
import statistics
import time

import cn2an
from telegram import Update

from ops.servers import free_port
from tests.fake_telegram import FakeTelegram
from tests.integration.telegram_helpers import (
    attempts,
    channel_running,
    new_channel,
    new_chat,
    one_exchange_then_stop,
    run,
    settled,
    stored_status,
)
from texts.residents import PLEASE_WAIT


def test_a_429_is_retried_after_the_delay_telegram_asks_for(core):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core):
            chat = new_chat()
            api.faults[("sendMessage", chat)] = ["429:2"]
            api.text(chat, "/help")
            started = time.monotonic()
            await api.wait_for(lambda: len(api.to(chat)) == 1)
            assert time.monotonic() - started >= 2.0
            assert sum(1 for m, p in api.calls if m == "sendMessage" and p["chat_id"] == chat) == 2

    run(scenario)


def test_5xx_and_dropped_connections_are_retried(core):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core):
            chat = new_chat()
            api.faults[("sendMessage", chat)] = ["502", "drop"]
            api.text(chat, "/help")
            await api.wait_for(lambda: len(api.to(chat)) == 1)
            assert len(api.to(chat)) == 1

    run(scenario)


def test_a_duplicated_update_is_handled_once(core):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core):
            chat = new_chat()
            update = api.text(chat, "/help")
            await api.wait_for(lambda: len(api.to(chat)) == 1)
            api.redeliver(update)
            api.text(chat, "/start")
            await settled(api, core, [chat])
            assert len(api.to(chat)) == 2

    run(scenario)


def test_a_restart_in_the_middle_loses_nothing(core):
    async def scenario():
        async with FakeTelegram() as api:
            chat = await one_exchange_then_stop(api, core)
            # The bot is down; the resident keeps writing. Telegram holds the updates.
            api.text(chat, "你好")
            api.text(chat, "民法典第1134条")
            async with channel_running(api, core):
                await api.wait_for(lambda: len(api.to(chat)) == 3)
            texts = [m.text for m in api.to(chat)]
            assert "您好" in texts[1] and "自书遗嘱由遗嘱人亲笔书写" in texts[2]

    run(scenario)


def test_a_stored_but_unhandled_update_is_handled_after_a_crash(core):
    """The update was stored and acknowledged, then the process died before handling it."""

    async def scenario():
        async with FakeTelegram() as api:
            chat = await one_exchange_then_stop(api, core)
            crashed = new_channel(api, core)
            update = api.text(chat, "民法典第1134条")
            crashed.accept([Update.de_json(update, crashed.application.bot)])  # stored, never handled
            api.updates.clear()  # ...and acknowledged to Telegram
            async with channel_running(api, core):
                await api.wait_for(lambda: len(api.to(chat)) == 2)
            assert "自书遗嘱" in api.to(chat)[1].text
            assert stored_status(core, update["update_id"]) == ("done", 1)

    run(scenario)


def test_when_the_assistant_is_down_the_resident_is_told_to_wait_and_the_message_is_retried(core):
    async def scenario():
        async with FakeTelegram() as api:
            chat = new_chat()
            down = new_channel(api, core, rasa_url=f"http://127.0.0.1:{free_port()}", retry_delay=0.5, poll_timeout=1)
            task = asyncio.create_task(down.run())
            update = api.text(chat, "民法典第1134条")
            await api.wait_for(lambda: len(api.to(chat)) == 1)
            assert api.to(chat)[0].text == PLEASE_WAIT
            await api.wait_for(lambda: attempts(core, update["update_id"]) >= 3)
            assert len(api.to(chat)) == 1  # told once, not on every retry
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
            async with channel_running(api, core):  # the assistant is back
                await api.wait_for(lambda: len(api.to(chat)) == 2)
            assert "自书遗嘱" in api.to(chat)[1].text

    run(scenario)


def test_load_50_residents_20_messages_each_every_reply_once_in_order(core):
    """Prints delivered, duplicates and latency; asserts only exactly-once and order."""
    residents, messages = 50, 20

    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core):
            chats = [new_chat() for _ in range(residents)]
            sent_at: dict[tuple[int, int], float] = {}

            async def resident(chat: int) -> None:
                for n in range(messages):
                    api.text(chat, f"民法典第{1120 + n}条")
                    sent_at[(chat, n)] = time.monotonic()
                    await api.wait_for(lambda n=n: len(api.to(chat)) >= n + 1, timeout=240)

            started = time.monotonic()
            await asyncio.gather(*(resident(c) for c in chats))
            elapsed = time.monotonic() - started
            await settled(api, core, chats)
            latencies, duplicates = [], 0
            for chat in chats:
                got = api.to(chat)
                duplicates += len(got) - messages
                numbers = [int(cn2an.cn2an(m.text.split("》第")[1].split("条")[0], "smart")) for m in got]
                assert len(got) == messages, f"chat {chat} got {len(got)} replies"
                for n, message in enumerate(got):
                    latencies.append(message.at - sent_at[(chat, n)])
                assert numbers == sorted(numbers)
            latencies.sort()
            print(
                f"\nTelegram load: {residents} residents x {messages} messages: delivered "
                f"{sum(len(api.to(c)) for c in chats)}, duplicates {duplicates}, "
                f"p50 {statistics.median(latencies) * 1000:.0f} ms, "
                f"p99 {latencies[int(len(latencies) * 0.99) - 1] * 1000:.0f} ms, {elapsed:.1f} s in all"
            )
            assert duplicates == 0

    run(scenario)
