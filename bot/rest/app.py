"""The REST channel's web app: ``POST /webhooks/rest/webhook`` with ``{"sender", "message"}``,
answered in Rasa's REST format (a list of ``{"recipient_id", "text", "buttons"}``), through the
router. Senders are kept apart from other channels' (``rest-<sender>``), so a client cannot
speak in a Telegram resident's conversation."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from http import HTTPStatus

from aiohttp import web

from bot.rest.body import MAX_BODY_BYTES, Message, Refusal, parse, too_large
from bot.router import AssistantUnavailable, Router
from config.settings import RestSettings
from texts import residents

PATH = "/webhooks/rest/webhook"  # Rasa's own path, so a client of Rasa's REST channel only changes the port
RETRY_AFTER_SECONDS = 30


def conversation_id(sender: str) -> str:
    return f"rest-{sender}"


def rest_app(router: Router) -> web.Application:
    async def webhook(request: web.Request) -> web.Response:
        try:
            parsed = parse(await request.read())
        except web.HTTPRequestEntityTooLarge:
            parsed = too_large()
        if isinstance(parsed, Refusal):
            return web.json_response(parsed.body(), status=parsed.status)
        return await _answer(router, parsed)

    app = web.Application(client_max_size=MAX_BODY_BYTES)
    app.router.add_post(PATH, webhook)
    return app


async def _answer(router: Router, message: Message) -> web.Response:
    try:
        replies = await router.handle(conversation_id(message.sender), message.text)
    except AssistantUnavailable:
        body = {"error": "the assistant is unavailable; send again later", "detail": residents.REST_UNAVAILABLE}
        return web.json_response(
            body, status=HTTPStatus.SERVICE_UNAVAILABLE, headers={"Retry-After": str(RETRY_AFTER_SECONDS)}
        )
    return web.json_response(
        [
            {"recipient_id": message.sender, "text": reply.text} | ({"buttons": reply.buttons} if reply.buttons else {})
            for reply in replies
        ]
    )


@asynccontextmanager
async def serving(settings: RestSettings, router: Router) -> AsyncIterator[str]:
    """The channel listening until the block ends; yields its webhook URL. The router is closed after."""
    runner = web.AppRunner(rest_app(router))
    await runner.setup()
    try:
        await web.TCPSite(runner, settings.host, settings.port).start()
        yield f"http://{settings.host}:{settings.port}{PATH}"
    finally:
        await runner.cleanup()
        await router.aclose()
