"""Where a resident's message goes. Today: to the Rasa server over its REST channel.

The adviser handoff (a case held by a person) will be decided here too, from the database,
before anything reaches Rasa. Transient failures are retried with backoff; if Rasa stays
unreachable the caller gets :class:`AssistantUnavailable` and keeps the message to resend.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential


NO_REPLY = "抱歉，系统刚才没能处理您的消息。请稍后再发一次，或回复“转人工”；着急可拨打12348。"


class AssistantUnavailable(RuntimeError):
    """Rasa did not answer after retries; the message was not processed."""


@dataclass
class Reply:
    text: str
    buttons: list[dict] = field(default_factory=list)  # {"title": ..., "payload": ...}


def _transient(error: BaseException) -> bool:
    if isinstance(error, httpx.HTTPStatusError):
        return error.response.status_code >= 500
    return isinstance(error, httpx.TransportError)


class Router:
    def __init__(self, rasa_url: str, attempts: int = 4, timeout: float = 30.0):
        self._webhook = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
        self._attempts = attempts
        self._client = httpx.AsyncClient(timeout=timeout)

    async def handle(self, sender_id: str, text: str) -> list[Reply]:
        try:
            async for attempt in AsyncRetrying(stop=stop_after_attempt(self._attempts),
                                               wait=wait_exponential(multiplier=0.5, max=8),
                                               retry=retry_if_exception(_transient), reraise=True):
                with attempt:
                    response = await self._client.post(self._webhook, json={"sender": sender_id, "message": text})
                    response.raise_for_status()
        except httpx.HTTPError as error:
            raise AssistantUnavailable(str(error)) from error
        replies = [Reply(m.get("text", ""), m.get("buttons") or []) for m in response.json()]
        # Rasa answers 200 with nothing when a custom action failed: say so rather than go silent.
        return replies or [Reply(NO_REPLY)]

    async def aclose(self) -> None:
        await self._client.aclose()
