"""Residents on Telegram: the PTB application, the router, the Rasa server and the action server,
with a local fake of the Bot API in place of Telegram."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys

import httpx

from bot.telegram.delivery import send
from config.settings import PROJECT_ROOT, TelegramSettings
from ops.servers import free_port, free_ports
from tests.fake_telegram import TOKEN, FakeTelegram
from tests.integration.telegram_helpers import (
    channel_running,
    new_channel,
    new_chat,
    run,
)
from texts.reply import Reply
from texts.residents import HELP, NOT_TEXT, START


async def full_conversation(api: FakeTelegram) -> None:
    """A scripted resident: /start, a question answered with its citation, the feedback
    button, a one-word question answered by a clarifying button."""
    chat = new_chat()
    api.text(chat, "/start")
    await api.wait_for(lambda: len(api.to(chat)) == 1)
    assert api.to(chat)[0].text.startswith(START.split("\n")[0])
    assert {c["command"] for c in api.commands} == {"start", "help", "human", "cancel", "restart", "forget"}

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
            assert texts[2] != HELP  # not a command of ours: the assistant reads it as words

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


def test_the_documented_run_command_starts_the_telegram_channel(core, tmp_path):
    """As a new user would: TELEGRAM_BOT_TOKEN and TELEGRAM_API_BASE_URL set, `legalbot run`; the
    knowledge console is served beside it."""
    console_port, rasa_port, action_port, model_port = free_ports(4)

    async def scenario():
        async with FakeTelegram() as api:
            env = {
                **os.environ,
                "TELEGRAM_BOT_TOKEN": TOKEN,
                "TELEGRAM_API_BASE_URL": api.base_url,
                "RASA_PORT": str(rasa_port),
                "ACTION_PORT": str(action_port),
                "LEGALBOT_MODEL_PORT": str(model_port),
                "LEGALBOT_CONSOLE_PORT": str(console_port),
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
                async with httpx.AsyncClient() as client:
                    login = await client.get(f"http://127.0.0.1:{console_port}/login")
                assert login.status_code == 200 and 'name="password"' in login.text
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
