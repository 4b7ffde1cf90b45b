"""The REST channel for residents (bot/rest/) and the router's limits, against a local HTTP
stand-in for the Rasa server: malformed bodies, oversized messages, an unreachable assistant,
and a burst of one resident's messages."""

from __future__ import annotations

import asyncio
import json
from collections import Counter

import httpx
import pytest
from aiohttp import web

from bot.rest.app import serving
from bot.rest.body import MAX_BODY_BYTES
from bot.router import MAX_MESSAGE_CHARS, Router
from config.settings import HandoffSettings, RestSettings, Settings
from ops.servers import free_port
from storage.db import Database
from texts import residents

BUTTONS = [{"title": "有帮助", "payload": "/feedback_helpful"}]


def router_to(rasa_url: str, tmp_path) -> Router:
    return Router(rasa_url, Database(f"sqlite:///{tmp_path / 'kb.db'}"), HandoffSettings(), attempts=1)


class StandIn:
    """Rasa's REST webhook: answers "好" at once, except that a sender named in ``held`` waits
    until ``gate`` is set. Counts what it received, and how many of one sender it held at once."""

    def __init__(self, held: str = "") -> None:
        self.held = held
        self.gate = asyncio.Event()
        self.received: list[dict] = []
        self.inside: Counter[str] = Counter()
        self.most_inside: Counter[str] = Counter()

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        sender = body["sender"]
        self.inside[sender] += 1
        self.most_inside[sender] = max(self.most_inside[sender], self.inside[sender])
        try:
            if sender == self.held:
                await self.gate.wait()
            for _ in range(10):  # let any other request of the same sender in, if the router allowed it
                await asyncio.sleep(0)
            return web.json_response([{"recipient_id": sender, "text": "好", "buttons": BUTTONS}])
        finally:
            self.inside[sender] -= 1

    async def start(self) -> tuple[web.AppRunner, str]:
        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        runner = web.AppRunner(app)
        await runner.setup()
        port = free_port()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        return runner, f"http://127.0.0.1:{port}"


def scenario(tmp_path, test, stand_in: StandIn | None = None, rasa_up: bool = True):
    """Run ``test(client, url, stand_in)`` against the REST channel in front of the stand-in."""

    async def run():
        rasa = stand_in or StandIn()
        runner, rasa_url = await rasa.start() if rasa_up else (None, f"http://127.0.0.1:{free_port()}")
        router = router_to(rasa_url, tmp_path)
        try:
            async with (
                serving(RestSettings(port=free_port()), router) as url,
                httpx.AsyncClient(timeout=60, limits=httpx.Limits(max_connections=200)) as client,
            ):
                return await asyncio.wait_for(test(client, url, rasa), timeout=120)
        finally:
            if runner:
                await runner.cleanup()

    return asyncio.run(run())


MALFORMED = {
    "empty body": (b"", 400, "empty"),
    "not JSON": (b"{sender: a}", 400, "not JSON"),
    "not UTF-8": (b'{"sender": "a", "message": "\xff\xfe"}', 400, "not JSON"),
    "a JSON array": (b'[{"sender": "a", "message": "hi"}]', 400, "not array"),
    "a JSON string": (b'"hello"', 400, "not string"),
    "null": (b"null", 400, "not null"),
    "no sender": (json.dumps({"message": "你好"}).encode(), 400, '"sender"'),
    "empty sender": (json.dumps({"sender": " ", "message": "你好"}).encode(), 400, '"sender"'),
    "sender a number": (json.dumps({"sender": 7, "message": "你好"}).encode(), 400, '"sender"'),
    "sender with a newline": (json.dumps({"sender": "a\nb", "message": "你好"}).encode(), 400, '"sender"'),
    "no message": (json.dumps({"sender": "a"}).encode(), 400, "not null"),
    "message a number": (json.dumps({"sender": "a", "message": 5}).encode(), 400, "not number"),
    "message an object": (json.dumps({"sender": "a", "message": {"text": "x"}}).encode(), 400, "not object"),
    "message a list": (json.dumps({"sender": "a", "message": ["x"]}).encode(), 400, "not array"),
    "message null": (json.dumps({"sender": "a", "message": None}).encode(), 400, "not null"),
    "message a boolean": (json.dumps({"sender": "a", "message": True}).encode(), 400, "not boolean"),
    "message blank": (json.dumps({"sender": "a", "message": " \n "}).encode(), 400, "empty"),
    "a lone surrogate": (b'{"sender": "a", "message": "\\ud800"}', 400, "surrogate"),
    "message too long": (json.dumps({"sender": "a", "message": "字" * 2001}).encode(), 413, "2000"),
    "body too large": (json.dumps({"sender": "a", "message": "x" * MAX_BODY_BYTES}).encode(), 413, "bytes"),
}


@pytest.mark.parametrize("raw, status, reason", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_request_gets_a_clear_json_error_and_reaches_nobody(tmp_path, raw, status, reason):
    async def test(client, url, rasa):
        response = await client.post(url, content=raw, headers={"Content-Type": "application/json"})
        return response, rasa.received

    response, received = scenario(tmp_path, test)
    assert response.status_code == status
    body = response.json()
    assert all(word in body["error"] for word in reason.split()), body
    assert body["detail"]  # what a web chat can show the resident, in Chinese
    if status == 413:
        assert body["limit"] == MAX_MESSAGE_CHARS
    assert received == []


def test_a_message_is_answered_in_rasas_rest_format_in_a_conversation_of_its_own(tmp_path):
    async def test(client, url, rasa):
        response = await client.post(url, json={"sender": "tg-42", "message": "字" * MAX_MESSAGE_CHARS})
        return response, rasa.received

    response, received = scenario(tmp_path, test)
    assert response.status_code == 200
    assert response.json() == [{"recipient_id": "tg-42", "text": "好", "buttons": BUTTONS}]
    # A client naming a Telegram chat still speaks only in a REST conversation.
    assert received == [{"sender": "rest-tg-42", "message": "字" * MAX_MESSAGE_CHARS}]


def test_an_unreachable_assistant_gets_503_with_a_retry_after(tmp_path):
    async def test(client, url, rasa):
        return await client.post(url, json={"sender": "a", "message": "你好"})

    response = scenario(tmp_path, test, rasa_up=False)
    assert response.status_code == 503
    assert response.headers["Retry-After"] and response.json()["detail"] == residents.REST_UNAVAILABLE


def test_a_burst_is_answered_or_told_to_slow_down_and_other_residents_are_not_held_up(tmp_path):
    """100 identical messages at once: one reaches the assistant at a time, ten wait their turn,
    the rest are told at once to slow down; meanwhile another resident is answered."""
    burst, waiting = 100, 10

    async def test(client, url, rasa):
        send = lambda sender: client.post(url, json={"sender": sender, "message": "借钱不还怎么办"})  # noqa: E731
        pending = {asyncio.create_task(send("flood")) for _ in range(burst)}
        refused: list[httpx.Response] = []
        while len(refused) < burst - 1 - waiting:  # the assistant holds the first of them meanwhile
            done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
            refused += [task.result() for task in done]
        other = await send("neighbour")  # answered while the flood's messages still wait
        held_at_once = rasa.inside["rest-flood"]
        rasa.gate.set()
        answered = list(await asyncio.gather(*pending))
        return refused, answered, other, held_at_once, rasa

    refused, answered, other, held_at_once, rasa = scenario(tmp_path, test, StandIn(held="rest-flood"))
    print(f"\nburst of {burst}: {len(answered)} answered, {len(refused)} told to slow down")
    assert all(r.status_code == 200 and r.json()[0]["text"] == residents.SLOW_DOWN for r in refused)
    assert len(answered) == 1 + waiting and all(r.json()[0]["text"] == "好" for r in answered)
    assert other.status_code == 200 and other.json()[0]["text"] == "好"
    assert held_at_once == 1 and rasa.most_inside["rest-flood"] == 1


def test_one_residents_messages_reach_the_assistant_one_at_a_time_in_order(tmp_path):
    async def run():
        rasa = StandIn()
        runner, rasa_url = await rasa.start()
        router = router_to(rasa_url, tmp_path)
        try:
            await asyncio.gather(*(router.handle("tg-1", f"第{i}条") for i in range(8)))
        finally:
            await router.aclose()
            await runner.cleanup()
        return rasa

    rasa = asyncio.run(run())
    assert [m["message"] for m in rasa.received] == [f"第{i}条" for i in range(8)]
    assert rasa.most_inside["tg-1"] == 1


def test_the_router_refuses_a_message_over_the_limit_on_every_channel_with_the_limit_stated(tmp_path):
    async def run():
        router = router_to(f"http://127.0.0.1:{free_port()}", tmp_path)
        try:
            return await router.handle("tg-1", "字" * (MAX_MESSAGE_CHARS + 1))
        finally:
            await router.aclose()

    [reply] = asyncio.run(run())  # the assistant is not even reachable: it was never asked
    assert reply.text == residents.TOO_LONG.format(length=MAX_MESSAGE_CHARS + 1, limit=MAX_MESSAGE_CHARS)


def test_the_rest_channel_is_off_unless_a_port_is_configured():
    assert Settings.from_env({}).rest is None
    assert Settings.from_env({"LEGALBOT_REST_PORT": "5006"}).rest == RestSettings(port=5006, host="127.0.0.1")
