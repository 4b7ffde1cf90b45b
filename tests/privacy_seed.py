"""What the privacy tests share: a resident's message with a (fake, valid-checksum) ID-card
number seeded into every table that keeps what residents wrote, and a search of every table
(and of Rasa's tracker store) for a string."""

from __future__ import annotations

import asyncio
import itertools
from datetime import datetime

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import MetaData, Table, create_engine, inspect, select

import console.models  # noqa: F401 - its tables are searched too
from bot.telegram.inbox import digest
from bot.telegram.models import DeliveryFailure, InboundUpdate, UpdateStatus
from handoff.cases import audit, open_intake
from handoff.models import CaseEvent, CaseMessage, CaseStatus, Direction
from knowledge.models import Consultation, Feedback
from knowledge.records import record_consultation, record_feedback, sender_hash
from storage.db import Base, Database
from storage.tracker import EVENTS

ID_CARD = "440106199001011235"  # fake, with a valid GB 11643 check digit
KEY = "test-key"
_update_ids = itertools.count(1)


def needle(chat: int) -> str:
    """What only resident ``tg-<chat>``'s message holds, in ASCII (Rasa keeps events as escaped JSON)."""
    return f"{ID_CARD} ref{chat}x"


def message(chat: int) -> str:
    return f"我身份证{needle(chat)}，遗嘱两份听哪份"


def seed(db: Database, tracker_url: str, chat: int, at: datetime, case_status: CaseStatus) -> None:
    """Resident ``tg-<chat>`` wrote ``message(chat)`` at ``at``: it is in Rasa's conversation,
    the Telegram inbox, an undelivered reply, a case (closed at ``at`` unless open), the
    consultations (masked) and feedback."""
    sender, text = f"tg-{chat}", message(chat)
    store = SQLTrackerStore(domain=Domain.empty(), host=tracker_url)
    tracker = DialogueStateTracker.from_events(sender, [UserUttered(text, timestamp=at.timestamp())])
    asyncio.run(store.save(tracker))
    store.engine.dispose()
    with db.session() as s, s.begin():
        for update_id in (next(_update_ids), next(_update_ids)):
            payload = {"update_id": update_id, "message": {"chat": {"id": chat}, "text": text}}
            s.add(
                InboundUpdate(
                    update_id=update_id, digest=digest(payload), chat_id=str(chat), payload=payload, received_at=at
                )
            )
        s.flush()
        for row in s.scalars(select(InboundUpdate).where(InboundUpdate.chat_id == str(chat))):
            row.status = UpdateStatus.done
        s.add(DeliveryFailure(chat_id=str(chat), text=f"您说：{text}", error="Forbidden", created_at=at))
        case = open_intake(s, sender, "civil.inheritance", "request", [{"from": "resident", "text": text}])
        s.flush()
        case.status, case.closed_at, case.outcome = case_status, at, f"已答复 {ID_CARD}"
        s.add(CaseMessage(case_id=case.id, direction=Direction.to_adviser, text=text, created_at=at))
        s.add(CaseEvent(case_id=case.id, to_status=case_status, actor="resident", note=text, at=at))
        audit(s, "adviser:test", "resolved", case.id, detail=f"已答复：{text}")  # an outcome quoting the resident
        record_consultation(s, sender_hash(sender, KEY), text, "civil.inheritance", "answer", None, 0.9, []).at = at
        record_feedback(s, sender, "inheritance-two-wills", False).created_at = at


def tables_holding(db: Database, tracker_url: str, needle: str) -> set[str]:
    """Every table of the application database, and Rasa's events, with a row containing ``needle``."""
    found = set()
    with db.session() as s:
        for table in Base.metadata.sorted_tables:
            if any(needle in str(tuple(row)) for row in s.execute(select(table))):
                found.add(table.name)
    engine = create_engine(tracker_url)
    if inspect(engine).has_table(EVENTS):
        events = Table(EVENTS, MetaData(), autoload_with=engine)
        with engine.connect() as connection:
            if any(needle in str(tuple(row)) for row in connection.execute(select(events))):
                found.add(EVENTS)
    engine.dispose()
    return found


def rows_of(db: Database, chat: int) -> dict[str, int]:
    """How many consultation and feedback rows resident ``tg-<chat>`` has (their text is masked,
    so they are found by sender)."""
    sender = f"tg-{chat}"
    with db.session() as s:
        consultations = s.scalars(select(Consultation.id).where(Consultation.sender_hash == sender_hash(sender, KEY)))
        feedback = s.scalars(select(Feedback.id).where(Feedback.sender_id == sender))
        return {"consultations": len(consultations.all()), "feedback": len(feedback.all())}
