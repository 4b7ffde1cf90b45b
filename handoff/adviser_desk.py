"""What a village legal adviser can do, whatever channel they use: take or pass on an offer,
reply to a resident, list and choose their cases, close a case or hand it back. Each function
checks the adviser's right to act (refusals go to the audit log) and returns what to tell them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from config.settings import HandoffSettings
from handoff.cases import audit, holds
from handoff.conversation import close, from_adviser, hand_back
from handoff.models import Adviser, Case
from handoff.repository import active_adviser, case_of_sent_message, cases_held_by
from handoff.routing import pass_on, take
from texts import advisers


@dataclass
class ToAdviser:
    """What to tell the adviser: a text (possibly none) and buttons."""

    text: str | None
    buttons: list[dict] = field(default_factory=list)


@dataclass(frozen=True)
class AdviserMessage:
    """A message from an adviser as the desk needs it: who, what, and what it quotes."""

    telegram_user_id: int
    chat_id: int
    message_id: int
    text: str
    media: bool = False
    quoted_message_id: int | None = None


def _refused(session: Session, telegram_user_id: int, action: str, case_id: int | None = None) -> ToAdviser:
    audit(session, f"telegram:{telegram_user_id}", action, case_id, allowed=False, detail="not a registered adviser")
    return ToAdviser(advisers.ADVISERS_ONLY)


def answer_offer(
    session: Session, telegram_user_id: int, case_id: int, accept: bool, settings: HandoffSettings, now: datetime
) -> ToAdviser:
    """接手 (accept) or 转给他人 on an offer."""
    adviser = active_adviser(session, telegram_user_id)
    if adviser is None:
        return _refused(session, telegram_user_id, "take" if accept else "pass", case_id)
    if accept:
        return ToAdviser(take(session, case_id, adviser, settings, now).reply)
    return ToAdviser(pass_on(session, case_id, adviser, settings, now))


def _case_of(session: Session, adviser: Adviser, message: AdviserMessage) -> Case | None:
    """The case a message belongs to: the case message it quotes, else the case chosen with
    /case, else the only case the adviser holds."""
    if message.quoted_message_id is not None:
        quoted = case_of_sent_message(session, message.chat_id, message.quoted_message_id)
        if quoted is not None:
            return quoted
    held = cases_held_by(session, adviser)
    chosen = next((c for c in held if c.id == adviser.current_case_id), None)
    if chosen is not None:
        return chosen
    return held[0] if len(held) == 1 else None


def _choose_buttons(cases: list[Case]) -> list[dict]:
    return [{"title": f"#{c.id}", "payload": f"case:select:{c.id}"} for c in cases]


def relay(session: Session, message: AdviserMessage, settings: HandoffSettings, now: datetime) -> ToAdviser:
    """Text or media from an adviser, passed to the resident of the case it belongs to."""
    adviser = active_adviser(session, message.telegram_user_id)
    if adviser is None:
        return _refused(session, message.telegram_user_id, "reply")
    case = _case_of(session, adviser, message)
    if case is None:
        held = cases_held_by(session, adviser)
        return ToAdviser(advisers.WHICH_CASE, _choose_buttons(held)) if held else ToAdviser(advisers.NO_CASE)
    if not holds(adviser, case):
        audit(session, f"adviser:{adviser.code}", "reply", case.id, allowed=False, detail=f"case is {case.status}")
        return ToAdviser(advisers.NOT_YOURS.format(case_id=case.id))
    return ToAdviser(
        from_adviser(
            session, case, adviser, message.text, (message.chat_id, message.message_id), message.media, settings, now
        )
    )


def list_cases(session: Session, telegram_user_id: int) -> ToAdviser:
    adviser = active_adviser(session, telegram_user_id)
    if adviser is None:
        return _refused(session, telegram_user_id, "cases")
    held = cases_held_by(session, adviser)
    audit(session, f"adviser:{adviser.code}", "list_cases")
    if not held:
        return ToAdviser(advisers.NO_CASE)
    lines = [f"#{c.id} {c.topic} {c.status}{' ←' if c.id == adviser.current_case_id else ''}" for c in held]
    return ToAdviser(advisers.MY_CASES + "\n" + "\n".join(lines))


def choose_case(session: Session, telegram_user_id: int, case_id: int | None) -> ToAdviser:
    """/case N: the case the adviser's unquoted messages go to."""
    adviser = active_adviser(session, telegram_user_id)
    if adviser is None:
        return _refused(session, telegram_user_id, "case", case_id)
    case = session.get(Case, case_id) if case_id else None
    if case is None or not holds(adviser, case):
        audit(session, f"adviser:{adviser.code}", "select", case_id, allowed=False)
        return ToAdviser(advisers.NOT_YOURS.format(case_id=case_id or "?"))
    adviser.current_case_id = case.id
    audit(session, f"adviser:{adviser.code}", "select", case.id)
    return ToAdviser(advisers.SELECTED.format(case_id=case.id))


def end_case(session: Session, message: AdviserMessage, closing: bool, argument: str, now: datetime) -> ToAdviser:
    """/close <outcome> (``closing``) or /return [note]."""
    command = "close" if closing else "return"
    adviser = active_adviser(session, message.telegram_user_id)
    if adviser is None:
        return _refused(session, message.telegram_user_id, command)
    case = _case_of(session, adviser, message)
    if case is None:
        return ToAdviser(advisers.WHICH_CASE if cases_held_by(session, adviser) else advisers.NO_CASE)
    if not holds(adviser, case):
        audit(session, f"adviser:{adviser.code}", command, case.id, allowed=False, detail=f"case is {case.status}")
        return ToAdviser(advisers.NOT_YOURS.format(case_id=case.id))
    if not closing:
        return ToAdviser(hand_back(session, case, adviser, argument, now))
    return ToAdviser(close(session, case, adviser, argument, now) if argument else advisers.CLOSE_NEEDS_OUTCOME)
