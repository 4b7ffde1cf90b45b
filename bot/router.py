"""Where a resident's message goes, decided from the database before anything reaches Rasa:

1. a case in intake: the answer to the intake question (district, village, consent);
2. a case held by a person (or waiting for one): to the adviser, never to the assistant;
3. otherwise: to the Rasa server over its REST channel. When the assistant hands the
   conversation to a person, the intake starts.

Transient Rasa failures are retried with backoff; if Rasa stays unreachable the caller gets
:class:`AssistantUnavailable` and keeps the message to resend.
"""
from __future__ import annotations

from dataclasses import dataclass

import httpx
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from handoff import intake
from bot.replies import Reply
from handoff import texts
from handoff.cases import HANDOFF_KEY, current_case, utcnow
from handoff.conversation import cancel, from_resident
from handoff.models import Case
from handoff.settings import HandoffSettings
from storage.db import session

NO_REPLY = "抱歉，系统刚才没能处理您的消息。请稍后再发一次，或回复“转人工”；着急可拨打12348。"
NOT_TEXT = ("抱歉，我现在只能看懂文字消息，看不了语音、图片、文件或位置。"
            "请用文字说说您的问题；需要真人看材料，发送 /human 请法律顾问帮忙。")
NOTHING_TO_CANCEL = "现在没有转给法律顾问的对话。有问题可以直接问我。"
CANCEL = "/cancel"


class AssistantUnavailable(RuntimeError):
    """Rasa did not answer after retries; the message was not processed."""


@dataclass(frozen=True)
class Inbound:
    """Where a message came from, so it can be relayed as it is (photos, voice) and mapped."""
    chat_id: int | None = None
    message_id: int | None = None
    media: bool = False

    @property
    def source(self) -> tuple[int, int] | None:
        return (self.chat_id, self.message_id) if self.chat_id is not None and self.message_id else None


def _transient(error: BaseException) -> bool:
    if isinstance(error, httpx.HTTPStatusError):
        return error.response.status_code >= 500
    return isinstance(error, httpx.TransportError)


class Router:
    def __init__(self, rasa_url: str, attempts: int = 4, timeout: float = 30.0,
                 handoff: HandoffSettings | None = None):
        self._webhook = rasa_url.rstrip("/") + "/webhooks/rest/webhook"
        self._attempts = attempts
        self._client = httpx.AsyncClient(timeout=timeout)
        self.handoff = handoff or HandoffSettings.from_env()

    async def handle(self, sender_id: str, text: str, inbound: Inbound = Inbound()) -> list[Reply]:
        """The replies to send the resident now (none when the message went to an adviser)."""
        with session() as s, s.begin():
            case = current_case(s, sender_id)
            if case is not None:
                return self._within_case(s, case, text, inbound)
        if text == CANCEL:
            return [Reply(NOTHING_TO_CANCEL)]
        if inbound.media:
            return [Reply(NOT_TEXT)]
        if text.startswith(intake.PAYLOAD):  # a button of an intake that has ended
            return [Reply(texts.EXPIRED_BUTTON)]
        return await self._assistant(sender_id, text)

    def _within_case(self, s, case: Case, text: str, inbound: Inbound) -> list[Reply]:
        now = utcnow()
        if text == CANCEL:
            return [Reply(cancel(s, case, "resident cancelled", now))]
        if case.status == "intake":
            return [Reply(texts.PLEASE_ANSWER)] if inbound.media else intake.step(s, case, text, self.handoff, now)
        if text == "/request_human":
            return [Reply(texts.ALREADY_IN_CASE.format(case_id=case.id))]
        if text.startswith((intake.PAYLOAD, "/")):  # an old button of the assistant's
            return [Reply(texts.EXPIRED_BUTTON)]
        told = from_resident(s, case, text, inbound.source, inbound.media, self.handoff, now)
        return [Reply(told)] if told else []

    async def _assistant(self, sender_id: str, text: str) -> list[Reply]:
        try:
            async for attempt in AsyncRetrying(stop=stop_after_attempt(self._attempts),
                                               wait=wait_exponential(multiplier=0.5, max=8),
                                               retry=retry_if_exception(_transient), reraise=True):
                with attempt:
                    response = await self._client.post(self._webhook, json={"sender": sender_id, "message": text})
                    response.raise_for_status()
        except httpx.HTTPError as error:
            raise AssistantUnavailable(str(error)) from error
        messages = response.json()
        replies = [Reply(m.get("text", ""), m.get("buttons") or []) for m in messages
                   if m.get("text") or m.get("buttons")]
        if any(HANDOFF_KEY in (m.get("custom") or {}) for m in messages):
            with session() as s, s.begin():
                case = current_case(s, sender_id)
                if case is not None and case.status == "intake":
                    replies += intake.start(s, case)
        # Rasa answers 200 with nothing when a custom action failed: say so rather than go silent.
        return replies or [Reply(NO_REPLY)]

    async def aclose(self) -> None:
        await self._client.aclose()
