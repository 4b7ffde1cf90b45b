"""The knowledge base's tables: entries, their example questions and citations, and residents'
feedback on them. (The handoff's and the Telegram channel's tables live in their own rooms.)"""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, Column, DateTime, Enum, ForeignKey, Integer, String, Text
from sqlalchemy.orm import relationship

from storage.db import Base, utcnow


class EntryStatus(str, enum.Enum):
    draft = "draft"
    published = "published"
    retired = "retired"


class Entry(Base):
    """One answer to one need of a resident, with its legal basis."""

    __tablename__ = "entries"

    id = Column(Integer, primary_key=True)
    slug = Column(String(80), unique=True, nullable=False)
    topic = Column(String(40), nullable=False, index=True)
    title = Column(String(200), nullable=False)
    answer = Column(Text, nullable=False)
    status = Column(Enum(EntryStatus, name="entry_status"), nullable=False, default=EntryStatus.draft)
    version = Column(Integer, nullable=False, default=1)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=utcnow, onupdate=utcnow)

    examples = relationship("Example", cascade="all, delete-orphan", order_by="Example.position")
    citations = relationship("Citation", cascade="all, delete-orphan", order_by="Citation.position")


class Example(Base):
    """A question as residents ask it; the NLU training data is generated from these."""

    __tablename__ = "examples"

    id = Column(Integer, primary_key=True)
    entry_id = Column(Integer, ForeignKey("entries.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    text = Column(Text, nullable=False)


class Citation(Base):
    """A provision of a national law (verified against the statute database) or of a document of
    the sources register (knowledge/sources/)."""

    __tablename__ = "citations"

    id = Column(Integer, primary_key=True)
    entry_id = Column(Integer, ForeignKey("entries.id", ondelete="CASCADE"), nullable=False, index=True)
    position = Column(Integer, nullable=False)
    law = Column(String(200), nullable=False)
    article = Column(Integer)
    quote = Column(Text)
    source = Column(String(20), nullable=False, default="statute")  # a knowledge.citations.CitationSource
    number = Column(String(120))  # the 文号 of a registered document, e.g. 法释〔2020〕17号


class Feedback(Base):
    """A resident's 有帮助 / 没帮助 on an answer."""

    __tablename__ = "feedback"

    id = Column(Integer, primary_key=True)
    sender_id = Column(String(120), nullable=False, index=True)
    entry_slug = Column(String(80), index=True)
    helpful = Column(Boolean, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
