"""Where a resident's message goes, decided from the database before anything reaches Rasa:

0. /forget and its confirmation buttons: the resident's data deleted (bot/forget.py);
1. a case in intake: the answer to the intake question (district, village, consent);
2. a case held by a person (or offered to one): to the adviser, never to the assistant;
3. a case queued because nobody can take it now: kept for the adviser who will, and answered
   by the assistant meanwhile, so the resident is never left waiting on nobody;
4. otherwise: to the Rasa server over its REST channel. When the assistant hands the
   conversation to a person, the intake starts.

Before any of that, for every channel: a message longer than MAX_MESSAGE_CHARS is refused with
the limit stated, and one resident's messages are handled one at a time in arrival order, a
burst beyond MAX_WAITING waiting messages being told to slow down (bot/turns.py).

Transient Rasa failures are retried with backoff; if Rasa stays unreachable the caller gets
:class:`AssistantUnavailable` and keeps the message to resend.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass

import httpx
from sqlalchemy.orm import Session
from tenacity import AsyncRetrying, retry_if_exception, stop_after_attempt, wait_exponential

from bot.forget import Forgetting
from bot.turns import SenderTurns
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
MAX_MESSAGE_CHARS = 2000  # a question, even a long story, fits; a pasted document does not
MAX_WAITING = 10  # a resident's messages waiting behind the one being handled; more: "slow down"
FORGET = "/forget"  # Telegram's /forget command comes here too
FORGET_CONFIRM = "/forget_confirm"  # the payloads of the two buttons /forget answers with
FORGET_KEEP = "/forget_keep"
FORGET_STEPS = (FORGET, FORGET_CONFIRM, FORGET_KEEP)
# What makes a message act as a button rather than as words: Rasa reads a leading "/" as an
# intent (/kb_civil_marriage{...}), the intake a leading "#" as one of its buttons.
_BUTTON_MARKS = re.compile(r"^[\s/#]+")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 and C1 controls but tab and line ends


class AssistantUnavailable(RuntimeError):
    """Rasa did not answer after retries; the message was not processed."""


@dataclass(frozen=True)
class Inbound:
    """Where a message came from, so it can be relayed as it is (photos, voice) and mapped."""

    chat_id: int | None = None
    message_id: int | None = None
    media: bool = False
    typed: bool = True  # False: a pressed button's payload, or a command the channel recognised

    def as_typed(self, text: str) -> str:
        """Typed text reaches the assistant and the intake as words, never as a button or an
        intent, whatever it starts with."""
        return _BUTTON_MARKS.sub("", text) if self.typed else text

    @property
    def source(self) -> tuple[int, int] | None:
        return (self.chat_id, self.message_id) if self.chat_id is not None and self.message_id else None


def well_formed(text: str) -> str:
    """The text as Rasa, PostgreSQL and an adviser can take it: control characters (NUL among
    them) removed, each lone UTF-16 surrogate (from a broken client; it cannot be encoded)
    replaced by U+FFFD, surrogate pairs joined into the characters they encode."""
    return _CONTROL.sub("", text.encode("utf-16", "surrogatepass").decode("utf-16", "replace"))


def _transient(error: BaseException) -> bool:
    if isinstance(error, httpx.HTTPStatusError):
        return error.response.status_code >= 500
    return isinstance(error, httpx.TransportError)


class Router:
    """The one way from a channel to the assistant or an adviser; every channel uses it."""

    def __init__(
        self,
        rasa_url: str,
        db: Database,
        handoff: HandoffSettings,
        attempts: int = 4,
        timeout: float = 30.0,
        max_waiting: int = MAX_WAITING,
        forgetting: Forgetting | None = None,  # None: /forget is answered with whom to ask
    ):
        self._base = rasa_url.rstrip("/")
        self._attempts = attempts
        self._turns = SenderTurns(max_waiting)
        self._client = httpx.AsyncClient(timeout=timeout)
        self.db = db
        self.handoff = handoff
        self.forgetting = forgetting

    async def handle(self, sender_id: str, text: str, inbound: Inbound = Inbound()) -> list[Reply]:
        """The replies to send the resident now (none when the message went to an adviser);
        a message too long, or beyond a burst, is refused with a reply that says so."""
        if len(text) > MAX_MESSAGE_CHARS:
            return [Reply(residents.TOO_LONG.format(length=len(text), limit=MAX_MESSAGE_CHARS))]
        if self._turns.full(sender_id):
            return [Reply(residents.SLOW_DOWN)]
        async with self._turns.turn(sender_id):
            return await self._route(sender_id, text, inbound)

    async def _route(self, sender_id: str, text: str, inbound: Inbound) -> list[Reply]:
        text = well_formed(text)
        with self.db.session() as s, s.begin():
            case = current_case(s, sender_id)
            if case is not None and (inbound.typed or text not in FORGET_STEPS):
                replies = self._within_case(s, case, text, inbound)
                if replies is not None:
                    return replies
        if not inbound.typed and text in FORGET_STEPS:
            return [await self._forget(sender_id, text, in_case=case is not None)]
        if not inbound.typed and text == CANCEL:
            return [Reply(residents.NOTHING_TO_CANCEL)]
        if inbound.media:
            return [Reply(residents.NOT_TEXT)]
        if not inbound.typed and text.startswith(intake.PAYLOAD):  # a button of an intake that has ended
            return [Reply(residents.EXPIRED_BUTTON)]
        words = inbound.as_typed(text)
        if not words:
            return [Reply(residents.NOTHING_TYPED)]
        return await self._assistant(sender_id, words)

    async def restart(self, sender_id: str) -> list[Reply]:
        """Start over: end a case with a person, if any, and make the assistant forget the
        conversation."""
        async with self._turns.turn(sender_id):
            with self.db.session() as s, s.begin():
                case = current_case(s, sender_id)
                replies = [Reply(cancel(s, case, "resident restarted", utcnow()))] if case is not None else []
            await self._post(sender_id, RESTART)
        return [*replies, Reply(residents.RESTARTED)]

    async def _forget(self, sender_id: str, step: str, in_case: bool) -> Reply:
        """/forget asks for confirmation; its confirmation deletes the resident's data."""
        if step == FORGET_KEEP:
            return Reply(residents.FORGET_KEPT)
        if in_case:  # an adviser may be answering: the resident ends the case first
            return Reply(residents.FORGET_IN_CASE)
        if self.forgetting is None:
            return Reply(residents.FORGET_UNAVAILABLE)
        if step == FORGET:
            buttons = [
                {"title": residents.FORGET_YES, "payload": FORGET_CONFIRM},
                {"title": residents.FORGET_NO, "payload": FORGET_KEEP},
            ]
            return Reply(residents.FORGET_ASK, buttons)
        await asyncio.to_thread(self.forgetting.forget, sender_id, "resident")
        return Reply(residents.FORGOTTEN)

    def _within_case(self, s: Session, case: Case, text: str, inbound: Inbound) -> list[Reply] | None:
        """The replies of the case, or None when the assistant answers the message (a queued
        case: a question is kept for the adviser too, a button of the assistant goes on as usual)."""
        now = utcnow()
        if not inbound.typed and text == CANCEL:
            return [Reply(cancel(s, case, "resident cancelled", now))]
        if case.status == CaseStatus.intake:
            if inbound.media:
                return [Reply(residents.PLEASE_ANSWER)]
            return intake.step(s, case, inbound.as_typed(text), self.handoff, now)
        if not inbound.typed and text == REQUEST_HUMAN:
            waits = residents.STILL_QUEUED if case.status == CaseStatus.queued else residents.ALREADY_IN_CASE
            return [Reply(waits.format(case_id=case.id))]
        if case.status == CaseStatus.queued and not inbound.media:
            if inbound.typed:  # a question: kept for the adviser, answered by the assistant meanwhile
                from_resident(s, case, text, inbound.source, inbound.media, self.handoff, now)
                return None
            if not text.startswith(intake.PAYLOAD):  # a button of the assistant's goes on as usual
                return None
        if not inbound.typed and text.startswith((intake.PAYLOAD, "/")):  # an old button of the assistant's
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
