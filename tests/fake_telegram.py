"""A local HTTP fake of the Telegram Bot API, for python-telegram-bot's ``base_url``.

It serves getMe, getUpdates (long polling with offsets, as Telegram does), sendMessage,
answerCallbackQuery, copyMessage, editMessageText, editMessageReplyMarkup, setMyCommands, deleteWebhook,
setWebhook; it injects residents' updates and can fail on purpose: 429 with retry_after,
5xx, or a dropped connection.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field

from aiohttp import web

from ops.servers import free_port

TOKEN = "123456:TEST-TOKEN"
BOT_USER = {"id": 123456, "is_bot": True, "first_name": "法律助手", "username": "legalbot_test_bot"}
# Telegram's update ids grow (until restart_update_ids); a process-wide counter keeps them unique
# across fakes.
_update_ids = itertools.count(int(time.time()))


@dataclass
class Sent:
    """A message the bot sent, with the time the fake received it."""

    chat_id: int
    message_id: int
    text: str
    parse_mode: str | None
    buttons: list[dict]
    at: float


@dataclass
class FakeTelegram:
    updates: list[dict] = field(default_factory=list)
    sent: list[Sent] = field(default_factory=list)
    calls: list[tuple[str, dict]] = field(default_factory=list)
    # (method, chat id) -> ["429:2", "500", "drop", ...]: the next calls of that method for that chat
    # fail so (a chat, because the shared test database may hold other tests' pending updates).
    faults: dict[tuple[str, int], list] = field(default_factory=dict)
    commands: list[dict] = field(default_factory=list)
    answered_callbacks: list[str] = field(default_factory=list)

    def __post_init__(self):
        self._message_ids = itertools.count(1000)
        self._update_ids = _update_ids
        self._highest_id = 0  # the newest update id issued since the ids last restarted
        self._new_update = asyncio.Event()
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/bot"
        self._runner: web.AppRunner | None = None

    async def __aenter__(self) -> FakeTelegram:
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", self.port).start()
        return self

    async def __aexit__(self, *exc) -> None:
        await self._runner.cleanup()

    # --- what residents do -------------------------------------------------------------
    def _push(self, update: dict) -> dict:
        self._highest_id = max(self._highest_id, update["update_id"])
        self.updates.append(update)
        self._new_update.set()
        return update

    @staticmethod
    def _chat(chat_id: int) -> dict:
        return {"id": chat_id, "type": "private", "first_name": "居民"}

    def _message(self, chat_id: int, **content) -> dict:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": {"id": chat_id, "is_bot": False, "first_name": "居民"},
            **content,
        }

    def _quoted(self, sent: Sent) -> dict:
        return {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": self._chat(sent.chat_id),
            "from": BOT_USER,
            "text": sent.text or "",
        }

    def text(self, chat_id: int, text: str, reply_to: Sent | None = None) -> dict:
        """A message typed in a private chat (the chat id is the user's id); ``reply_to``: a
        message of the bot it quotes."""
        content: dict = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if reply_to is not None:
            content["reply_to_message"] = self._quoted(reply_to)
        return self._push({"update_id": next(self._update_ids), "message": self._message(chat_id, **content)})

    def photo(self, chat_id: int, caption: str | None = None) -> dict:
        photo = [{"file_id": "photo-1", "file_unique_id": "p1", "width": 90, "height": 90}]
        content = {"photo": photo, **({"caption": caption} if caption else {})}
        return self._push({"update_id": next(self._update_ids), "message": self._message(chat_id, **content)})

    def voice(self, chat_id: int) -> dict:
        voice = {"file_id": "voice-1", "file_unique_id": "v1", "duration": 3}
        return self._push({"update_id": next(self._update_ids), "message": self._message(chat_id, voice=voice)})

    def edit(self, chat_id: int, text: str) -> dict:
        message = {**self._message(chat_id, text=text), "edit_date": int(time.time())}
        return self._push({"update_id": next(self._update_ids), "edited_message": message})

    def press(self, sent: Sent, title: str, user_id: int | None = None) -> dict:
        """A button pressed, by the chat's user or (``user_id``) by someone else."""
        data = next(b["callback_data"] for b in sent.buttons if b["text"] == title)
        query = {
            "id": f"cb-{next(self._message_ids)}",
            "from": {"id": user_id or sent.chat_id, "is_bot": False, "first_name": "用户"},
            "chat_instance": "ci",
            "message": self._quoted(sent),
            "data": data,
        }
        return self._push({"update_id": next(self._update_ids), "callback_query": query})

    def restart_update_ids(self, start: int) -> None:
        """Telegram choosing the next update id at random after a week without updates: from
        now on ids count from ``start``, which may be lower than (or equal to) ids already used."""
        self._update_ids = itertools.count(start)
        self._highest_id = start - 1

    def redeliver(self, update: dict) -> None:
        """Telegram sending the same update again (it does, after timeouts)."""
        self._push(dict(update))

    # --- what the test reads ----------------------------------------------------------------
    def to(self, chat_id: int) -> list[Sent]:
        return [m for m in self.sent if m.chat_id == chat_id]

    async def wait_for(self, condition, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise TimeoutError("the fake Telegram did not see what the test waited for")
            await asyncio.sleep(0.05)

    # --- the Bot API ------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict:
        if request.content_type == "application/json":
            raw = await request.json()
        else:
            raw = dict(await request.post())
        params = {}
        for key, value in raw.items():
            try:
                params[key] = json.loads(value) if isinstance(value, str) else value
            except json.JSONDecodeError:
                params[key] = value
        return params

    async def _api(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != TOKEN:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        params = await self._params(request)
        self.calls.append((method, params))
        planned = self.faults.get((method, int(params.get("chat_id") or 0)))
        fault = planned.pop(0) if planned else None
        if fault == "drop":
            request.transport.close()
            return web.Response()
        if fault and fault.startswith("429"):
            retry_after = int(fault.split(":")[1])
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests",
                    "parameters": {"retry_after": retry_after},
                },
                status=429,
            )
        if fault and fault.startswith("5"):
            return web.json_response(
                {"ok": False, "error_code": int(fault), "description": "Bad Gateway"}, status=int(fault)
            )
        handler = getattr(self, f"_m_{method}", None)
        if handler is None:
            return web.json_response({"ok": True, "result": True})
        return web.json_response({"ok": True, "result": await handler(params)})

    async def _m_getMe(self, params: dict) -> dict:
        return BOT_USER

    async def _m_getUpdates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        # Confirmed ones are gone. An offset past every id issued since the ids restarted is out of
        # the queue's range and confirms nothing: those updates come again until properly confirmed.
        if 0 < offset <= self._highest_id + 1:
            self.updates = [u for u in self.updates if u["update_id"] >= offset]
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), 2.0)
        while not self.updates and time.monotonic() < deadline:
            self._new_update.clear()
            try:
                await asyncio.wait_for(self._new_update.wait(), timeout=max(deadline - time.monotonic(), 0.01))
            except asyncio.TimeoutError:
                break
        return list(self.updates)

    async def _m_sendMessage(self, params: dict) -> dict:
        markup = params.get("reply_markup") or {}
        buttons = [b for row in markup.get("inline_keyboard", []) for b in row]
        sent = Sent(
            int(params["chat_id"]),
            next(self._message_ids),
            params["text"],
            params.get("parse_mode"),
            buttons,
            time.monotonic(),
        )
        self.sent.append(sent)
        return {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": self._chat(sent.chat_id),
            "from": BOT_USER,
            "text": sent.text,
        }

    async def _m_copyMessage(self, params: dict) -> dict:
        sent = Sent(
            int(params["chat_id"]),
            next(self._message_ids),
            f"[copy of {params['from_chat_id']}:{params['message_id']}]",
            None,
            [],
            time.monotonic(),
        )
        self.sent.append(sent)
        return {"message_id": sent.message_id}

    async def _m_answerCallbackQuery(self, params: dict) -> bool:
        self.answered_callbacks.append(params["callback_query_id"])
        return True

    async def _m_setMyCommands(self, params: dict) -> bool:
        self.commands = params["commands"]
        return True

    async def _m_editMessageText(self, params: dict) -> dict:
        return {
            "message_id": int(params.get("message_id", 0)),
            "date": int(time.time()),
            "chat": self._chat(int(params.get("chat_id", 0))),
            "text": params.get("text", ""),
        }
