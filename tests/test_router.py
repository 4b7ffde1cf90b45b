"""The router against a local HTTP stand-in for the Rasa REST channel: retries, silence, outage."""

import asyncio

import pytest
from aiohttp import web

from bot.router import AssistantUnavailable, Router
from config.settings import HandoffSettings
from ops.servers import free_port
from storage.db import Database
from texts.residents import NO_REPLY


async def serve(responses: list, received: list) -> tuple[web.AppRunner, str]:
    """A REST webhook that answers with the given (status, body) pairs in turn."""

    async def webhook(request: web.Request) -> web.Response:
        received.append(await request.json())
        status, body = responses.pop(0)
        return web.json_response(body, status=status)

    app = web.Application()
    app.router.add_post("/webhooks/rest/webhook", webhook)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    return runner, f"http://127.0.0.1:{port}"


def router_to(url: str, tmp_path, attempts: int) -> Router:
    return Router(url, Database(f"sqlite:///{tmp_path / 'kb.db'}"), HandoffSettings(), attempts=attempts)


def run_against(responses: list, tmp_path, attempts: int = 3) -> tuple[list, list]:
    async def scenario():
        received: list = []
        runner, url = await serve(responses, received)
        router = router_to(url, tmp_path, attempts)
        try:
            return await router.handle("resident-1", "你好"), received
        finally:
            await router.aclose()
            await runner.cleanup()

    return asyncio.run(scenario())


def test_replies_and_buttons_come_back_in_order(tmp_path):
    body = [
        {"recipient_id": "resident-1", "text": "第一句"},
        {
            "recipient_id": "resident-1",
            "text": "第二句",
            "buttons": [{"title": "有帮助", "payload": "/feedback_helpful"}],
        },
    ]
    replies, received = run_against([(200, body)], tmp_path)
    assert [r.text for r in replies] == ["第一句", "第二句"]
    assert replies[1].buttons == [{"title": "有帮助", "payload": "/feedback_helpful"}]
    assert received == [{"sender": "resident-1", "message": "你好"}]


def test_a_server_error_is_retried_and_the_message_is_not_lost(tmp_path):
    replies, received = run_against([(500, {}), (503, {}), (200, [{"text": "好"}])], tmp_path)
    assert [r.text for r in replies] == ["好"]
    assert len(received) == 3 and all(r["message"] == "你好" for r in received)


def test_an_empty_answer_becomes_a_polite_message_not_silence(tmp_path):
    replies, _ = run_against([(200, [])], tmp_path)
    assert [r.text for r in replies] == [NO_REPLY]


def test_an_unreachable_assistant_raises_after_retries(tmp_path):
    router = router_to(f"http://127.0.0.1:{free_port()}", tmp_path, attempts=2)

    async def scenario():
        try:
            await router.handle("resident-1", "你好")
        finally:
            await router.aclose()

    with pytest.raises(AssistantUnavailable):
        asyncio.run(scenario())
