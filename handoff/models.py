"""The adviser handoff's tables: who covers which village, the cases, their history, the
messages relayed within them, and the audit log.

Every state a case is in, and every timer on it, lives here, so a restart loses nothing.
"""

from __future__ import annotations

import enum

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship

from storage.db import Base, utcnow


class CaseStatus(str, enum.Enum):
    """Where a case is in its life (handoff/cases.py says which moves are allowed)."""

    intake = "intake"
    queued = "queued"
    offered = "offered"
    assigned = "assigned"
    waiting_for_adviser = "waiting_for_adviser"
    waiting_for_resident = "waiting_for_resident"
    resolved = "resolved"
    returned = "returned"
    abandoned = "abandoned"


class Reason(str, enum.Enum):
    """Why a conversation went to a person."""

    request = "request"
    offer_accepted = "offer_accepted"
    emergency = "emergency"
    failed_turns = "failed_turns"


class IntakeStep(str, enum.Enum):
    district = "district"
    village = "village"
    consent = "consent"


class OfferOutcome(str, enum.Enum):
    open = "open"
    taken = "taken"
    passed = "passed"
    expired = "expired"
    withdrawn = "withdrawn"


class MessageStatus(str, enum.Enum):
    held = "held"  # waiting for an adviser to take the case
    pending = "pending"  # to deliver
    sending = "sending"  # taken by the case worker, on its way to Telegram
    recalled = "recalled"  # an offer that ended while on its way: its buttons come off once delivered
    sent = "sent"
    failed = "failed"  # refused by Telegram (blocked bot, deleted chat); recorded
    withdrawn = "withdrawn"  # an offer that no longer stands, never sent
    cancelled = "cancelled"  # held until the resident cancelled
    unreachable = "unreachable"  # the resident's channel cannot carry it (kept in the case)


class Direction(str, enum.Enum):
    to_adviser = "to_adviser"
    to_resident = "to_resident"


adviser_villages = Table(
    "adviser_villages",
    Base.metadata,
    Column("adviser_id", ForeignKey("advisers.id", ondelete="CASCADE"), primary_key=True),
    Column("village_id", ForeignKey("villages.id", ondelete="CASCADE"), primary_key=True),
)


class Village(Base):
    """A village (村) or community (社区) with the names residents call it by."""

    __tablename__ = "villages"

    id = Column(Integer, primary_key=True)
    code = Column(String(40), unique=True, nullable=False)
    district = Column(String(40), nullable=False, index=True)
    town = Column(String(40))
    name = Column(String(80), nullable=False)
    aliases = Column(JSON, nullable=False, default=list)

    advisers = relationship("Adviser", secondary=adviser_villages, back_populates="villages")


class Adviser(Base):
    """A village legal adviser (村居法律顾问) who takes cases on Telegram."""

    __tablename__ = "advisers"

    id = Column(Integer, primary_key=True)
    code = Column(String(40), unique=True, nullable=False)
    name = Column(String(80), nullable=False)
    telegram_user_id = Column(BigInteger, unique=True, nullable=False)
    hours = Column(String(80), nullable=False, default="mon-fri 09:00-18:00")
    capacity = Column(Integer, nullable=False, default=5)
    active = Column(Boolean, nullable=False, default=True)
    duty_district = Column(String(40), index=True)  # member of that district's duty pool
    current_case_id = Column(Integer)  # chosen with /case when handling several

    villages = relationship("Village", secondary=adviser_villages, back_populates="advisers", order_by="Village.id")


class Case(Base):
    """A resident's conversation handed to a person, from intake to its end."""

    __tablename__ = "cases"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(120), nullable=False, index=True)
    resident_chat_id = Column(BigInteger)  # Telegram chat; None for channels an adviser cannot reach
    topic = Column(String(40), nullable=False)
    reason = Column(String(40), nullable=False)  # a Reason
    priority = Column(Boolean, nullable=False, default=False)
    status = Column(String(30), nullable=False, default=CaseStatus.intake, index=True)
    transcript = Column(JSON, nullable=False, default=list)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    intake_step = Column(String(20))  # an IntakeStep
    intake_misses = Column(Integer, nullable=False, default=0, server_default="0")
    district = Column(String(40))
    village_id = Column(ForeignKey("villages.id"))
    consented_at = Column(DateTime(timezone=True))
    adviser_id = Column(ForeignKey("advisers.id"), index=True)
    response_due_at = Column(DateTime(timezone=True), index=True)  # first or next reply of the adviser
    reminded_at = Column(DateTime(timezone=True))  # the adviser was reminded; the next miss gives the case back
    inactive_close_at = Column(DateTime(timezone=True), index=True)  # resident silent since the reply
    closed_at = Column(DateTime(timezone=True))
    outcome = Column(Text)

    village = relationship("Village")
    adviser = relationship("Adviser")


class CaseEvent(Base):
    """One transition of a case's status: the case's whole history, never updated."""

    __tablename__ = "case_events"

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    from_status = Column(String(30))
    to_status = Column(String(30), nullable=False)
    actor = Column(String(60), nullable=False)  # resident, adviser:<code>, system
    note = Column(Text)


class CaseOffer(Base):
    """A case offered to one adviser, open until taken, passed on or expired."""

    __tablename__ = "case_offers"

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    adviser_id = Column(ForeignKey("advisers.id"), nullable=False, index=True)
    pool = Column(Boolean, nullable=False, default=False)  # offered as the district duty pool
    offered_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    expires_at = Column(DateTime(timezone=True))  # None: open until someone takes the case
    outcome = Column(String(20), nullable=False, default=OfferOutcome.open)


class CaseMessage(Base):
    """A message the bot sends within a case, and the message map.

    Written in the same transaction as the change that causes it (a relayed message, an offer,
    a notice) and delivered afterwards; the Telegram message id is stored when it is sent. An
    adviser's reply is matched to its case through ``sent_message_id``, a resident through the
    case: never through message text or forward headers.
    """

    __tablename__ = "case_messages"
    __table_args__ = (
        UniqueConstraint("source_chat_id", "source_message_id", "chat_id", name="uq_case_message_source"),
    )

    id = Column(Integer, primary_key=True)
    case_id = Column(ForeignKey("cases.id", ondelete="CASCADE"), nullable=False, index=True)
    direction = Column(String(20), nullable=False)  # a Direction
    chat_id = Column(BigInteger, index=True)  # None: held until an adviser takes the case
    text = Column(Text)
    buttons = Column(JSON, nullable=False, default=list)
    source_chat_id = Column(BigInteger)  # the relayed message; None for the bot's own notices
    source_message_id = Column(BigInteger)
    media = Column(Boolean, nullable=False, default=False)  # copied as it is (photo, voice, file…)
    strip_buttons_of = Column(BigInteger)  # not a message: remove the buttons of this sent message
    status = Column(String(20), nullable=False, default=MessageStatus.pending, index=True)
    sent_message_id = Column(BigInteger, index=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    sent_at = Column(DateTime(timezone=True))


class AuditEntry(Base):
    """Who did what to which case, including refused attempts."""

    __tablename__ = "audit_log"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    actor = Column(String(60), nullable=False)
    action = Column(String(40), nullable=False)
    case_id = Column(Integer, index=True)
    allowed = Column(Boolean, nullable=False, default=True)
    detail = Column(Text)
