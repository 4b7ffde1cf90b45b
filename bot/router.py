"""Where a resident's message goes, decided from the database before anything reaches Rasa:

1. a case in intake: the answer to the intake question (district, village, consent);
2. a case held by a person (or offered to one): to the adviser, never to the assistant;
3. a case queued because nobody can take it now: kept for the adviser who will, and answered
   by the assistant meanwhile, so the resident is never left waiting on nobody;
4. otherwise: to the Rasa server over its REST channel. When the assistant hands the
   conversation to a person, the intake starts.

Transient Rasa failures are retried with backoff; if Rasa stays unreachable the caller gets
:class:`AssistantUnavailable` and keeps the message to resend.
"""

from __future__ import annotations

from dataclasses import dataclass

import httpx
from sqlalchemy.orm import Session
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from config.settings import HandoffSettings
from handoff import intake
from handoff.cases import HANDOFF_KEY, current_case
from handoff.conversation import cancel, from_resident
from handoff.models import Case, CaseStatus
from storage.db import Database, utcnow
from texts import residents
from texts.reply import Reply

CANCEL = "/cancel"  # typed in the local chat; Telegram's /cancel command comes here too
RESTART = "/restart"  # Rasa's built-in intent: forget the conversation
REQUEST_HUMAN = "/request_human"


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
    """The one way from a channel to the assistant or an adviser; every channel uses it."""

    def __init__(self, rasa_url: str, db: Database, handoff: HandoffSettings, attempts: int = 4, timeout: float = 30.0):
        self._base = rasa_url.rstrip("/")
        self._attempts = attempts
        self._client = httpx.AsyncClient(timeout=timeout)
        self.db = db
        self.handoff = handoff

    async def handle(self, sender_id: str, text: str, inbound: Inbound = Inbound()) -> list[Reply]:
        """The replies to send the resident now (none when the message went to an adviser)."""
        with self.db.session() as s, s.begin():
            case = current_case(s, sender_id)
            if case is not None:
                replies = self._within_case(s, case, text, inbound)
                if replies is not None:
                    return replies
        if text == CANCEL:
            return [Reply(residents.NOTHING_TO_CANCEL)]
        if inbound.media:
            return [Reply(residents.NOT_TEXT)]
        if text.startswith(intake.PAYLOAD):  # a button of an intake that has ended
            return [Reply(residents.EXPIRED_BUTTON)]
        return await self._assistant(sender_id, text)

    async def restart(self, sender_id: str) -> list[Reply]:
        """Start over: end a case with a person, if any, and make the assistant forget the
        conversation."""
        with self.db.session() as s, s.begin():
            case = current_case(s, sender_id)
            replies = [Reply(cancel(s, case, "resident restarted", utcnow()))] if case is not None else []
        await self._post(sender_id, RESTART)
        return [*replies, Reply(residents.RESTARTED)]

    def _within_case(self, s: Session, case: Case, text: str, inbound: Inbound) -> list[Reply] | None:
        """The replies of the case, or None when the assistant answers the message (a queued
        case: a question is kept for the adviser too, a button of the assistant goes on as usual)."""
        now = utcnow()
        if text == CANCEL:
            return [Reply(cancel(s, case, "resident cancelled", now))]
        if case.status == CaseStatus.intake:
            return [Reply(residents.PLEASE_ANSWER)] if inbound.media else intake.step(s, case, text, self.handoff, now)
        if text == REQUEST_HUMAN:
            waits = residents.STILL_QUEUED if case.status == CaseStatus.queued else residents.ALREADY_IN_CASE
            return [Reply(waits.format(case_id=case.id))]
        if case.status == CaseStatus.queued and not inbound.media and not text.startswith(intake.PAYLOAD):
            if not text.startswith("/"):
                from_resident(s, case, text, inbound.source, inbound.media, self.handoff, now)
            return None
        if text.startswith((intake.PAYLOAD, "/")):  # an old button of the assistant's
            return [Reply(residents.EXPIRED_BUTTON)]
        told = from_resident(s, case, text, inbound.source, inbound.media, self.handoff, now)
        return [Reply(told)] if told else []

    async def _post(self, sender_id: str, text: str) -> list[dict]:
        try:
            async for attempt in AsyncRetrying(
                stop=stop_after_attempt(self._attempts),
                wait=wait_exponential(multiplier=0.5, max=8),
                retry=retry_if_exception(_transient),
                reraise=True,
            ):
                with attempt:
                    response = await self._client.post(
                        f"{self._base}/webhooks/rest/webhook", json={"sender": sender_id, "message": text}
                    )
                    response.raise_for_status()
        except httpx.HTTPError as error:
            raise AssistantUnavailable(str(error)) from error
        return response.json()

    async def _assistant(self, sender_id: str, text: str) -> list[Reply]:
        messages = await self._post(sender_id, text)
        replies = [
            Reply(m.get("text", ""), m.get("buttons") or []) for m in messages if m.get("text") or m.get("buttons")
        ]
        if any(HANDOFF_KEY in (m.get("custom") or {}) for m in messages):
            with self.db.session() as s, s.begin():
                case = current_case(s, sender_id)
                if case is not None and case.status == CaseStatus.intake:
                    replies += intake.start(s, case, utcnow())
                elif case is not None:  # asked again while the case waits for an adviser
                    replies.append(Reply(residents.STILL_QUEUED.format(case_id=case.id)))
        # Rasa answers 200 with nothing when a custom action failed: say so rather than go silent.
        return replies or [Reply(residents.NO_REPLY)]

    async def aclose(self) -> None:
        await self._client.aclose()
