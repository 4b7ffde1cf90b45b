"""Residents on Telegram: the PTB application, the router, the Rasa server and the action server,
with a local fake of the Bot API in place of Telegram."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import signal
import statistics
import sys
import time

import cn2an
import httpx
from sqlalchemy import func, select
from telegram import Update

from bot.telegram.channel import TelegramChannel
from bot.telegram.delivery import send
from bot.telegram.models import InboundUpdate, UpdateStatus
from config.settings import PROJECT_ROOT, HandoffSettings, TelegramSettings
from ops.servers import free_port
from storage.db import Database
from tests.fake_telegram import TOKEN, FakeTelegram
from texts.reply import Reply
from texts.residents import NOT_TEXT, PLEASE_WAIT, START


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


async def settled(api: FakeTelegram, core, chats: list[int]) -> None:
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

    await api.wait_for(nothing_pending)


def run(scenario) -> None:
    asyncio.run(asyncio.wait_for(scenario(), timeout=300))


async def full_conversation(api: FakeTelegram) -> None:
    """A scripted resident: /start, a question answered with its citation, the feedback
    button, a one-word question answered by a clarifying button."""
    chat = new_chat()
    api.text(chat, "/start")
    await api.wait_for(lambda: len(api.to(chat)) == 1)
    assert api.to(chat)[0].text.startswith(START.split("\n")[0])
    assert {c["command"] for c in api.commands} == {"start", "help", "human", "cancel", "restart"}

    api.text(chat, "我阿爸立咗两份遗嘱，内容唔同，以边份为准？")
    await api.wait_for(lambda: len(api.to(chat)) == 2)
    answer = api.to(chat)[1]
    assert answer.parse_mode == "HTML"
    assert "<b>法律依据：</b>《中华人民共和国民法典》第一千一百四十二条" in answer.text
    assert [b["text"] for b in answer.buttons] == ["有帮助", "没帮助"]

    api.press(answer, "有帮助")
    await api.wait_for(lambda: len(api.to(chat)) == 3)
    assert "谢谢" in api.to(chat)[2].text
    assert len(api.answered_callbacks) == 1

    api.text(chat, "离婚")
    await api.wait_for(lambda: len(api.to(chat)) == 4)
    question = api.to(chat)[3]
    assert "哪一个" in question.text and len(question.buttons) >= 3
    api.press(question, question.buttons[0]["text"])
    await api.wait_for(lambda: len(api.to(chat)) == 5)
    assert "法律依据" in api.to(chat)[4].text


def test_a_resident_has_a_full_conversation(core):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core):
            await full_conversation(api)

    run(scenario)


def test_voice_and_edits_get_a_kind_reply_and_nothing_crashes(core):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core):
            chat = new_chat()
            api.voice(chat)
            api.edit(chat, "改过的问题")
            api.text(chat, "/unknown")
            await api.wait_for(lambda: len(api.to(chat)) == 3)
            texts = [m.text for m in api.to(chat)]
            assert texts[0] == NOT_TEXT
            assert "修改" in texts[1]
            assert "/human" in texts[2]  # an unknown command gets the help text

    run(scenario)


def test_a_long_answer_is_split_at_paragraphs_under_the_limit(core):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core) as channel:
            chat = new_chat()
            paragraphs = [f"第{i}段：" + "遗嘱<继承>&" * 150 for i in range(6)]
            await send(
                channel.application.bot,
                core.db,
                chat,
                Reply("\n\n".join(paragraphs), [{"title": "有帮助", "payload": "/feedback_helpful"}]),
            )
            parts = api.to(chat)
            assert len(parts) > 1 and all(len(p.text) <= 4096 for p in parts)
            assert all(p.text.startswith("第") for p in parts)  # every part starts at a paragraph
            assert "&lt;继承&gt;&amp;" in parts[0].text
            assert [b["text"] for b in parts[-1].buttons] == ["有帮助"] and not parts[0].buttons

    run(scenario)


def test_a_429_is_retried_after_the_delay_telegram_asks_for(core):
    async def scenario():
        async with FakeTelegram() as api, channel_running(api, core):
            chat = new_chat()
            api.faults["sendMessage"] = ["429:2"]
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
            api.faults["sendMessage"] = ["502", "drop"]
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
            with Database(core.database_url).session() as s:
                assert s.get(InboundUpdate, update["update_id"]).status == "done"

    run(scenario)


def attempts(core, update_id: int) -> int:
    with core.db.session() as s:
        row = s.get(InboundUpdate, update_id)
        return row.attempts if row else 0


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


def test_the_documented_run_command_starts_the_telegram_channel(core, tmp_path):
    """As a new user would: TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL set, `legalbot run`."""

    async def scenario():
        async with FakeTelegram() as api:
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": api.base_url,
                "RASA_PORT": str(free_port()),
                "ACTION_PORT": str(free_port()),
                "DATABASE_URL": f"sqlite:///{tmp_path / 'run.db'}",
            }
            process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "ops.cli",
                "run",
                cwd=PROJECT_ROOT,
                env=env,
                stdout=asyncio.subprocess.DEVNULL,
                stderr=asyncio.subprocess.DEVNULL,
            )
            try:
                await api.wait_for(lambda: api.commands, timeout=240)  # the channel is up
                await full_conversation(api)
            finally:
                process.send_signal(signal.SIGINT)
                await asyncio.wait_for(process.wait(), timeout=60)

    run(scenario)


def test_webhook_mode_checks_the_secret_token_and_handles_the_update(core):
    async def scenario():
        async with FakeTelegram() as api:
            port = free_port()
            settings = TelegramSettings(
                token=TOKEN,
                base_url=api.base_url,
                webhook_url="https://bot.example/telegram",
                webhook_secret="s3cret",
                webhook_port=port,
            )
            channel = new_channel(api, core, telegram=settings, retry_delay=0.5)
            task = asyncio.create_task(channel.run())
            try:
                await api.wait_for(lambda: any(m == "setWebhook" for m, _ in api.calls), timeout=30)
                webhook = dict(next(p for m, p in api.calls if m == "setWebhook"))
                assert webhook["url"] == "https://bot.example/telegram" and webhook["secret_token"] == "s3cret"
                chat = new_chat()
                update = api.text(chat, "民法典第1134条")
                api.updates.clear()  # delivered by webhook, not by getUpdates
                async with httpx.AsyncClient() as client:
                    url = f"http://127.0.0.1:{port}/telegram"
                    forged = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "x"})
                    missing = await client.post(url, json=update)
                    assert (forged.status_code, missing.status_code) == (403, 403)
                    good = await client.post(url, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
                    assert good.status_code == 200
                await api.wait_for(lambda: len(api.to(chat)) == 1)
                assert "自书遗嘱" in api.to(chat)[0].text
                assert not any(m == "getUpdates" for m, _ in api.calls)
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    run(scenario)
