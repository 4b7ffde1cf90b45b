"""The knowledge base's tables: entries (the published projection residents get), their example
questions and citations, every revision of every entry, residents' feedback and consultations,
and the models trained from the entries. (The handoff's, the Telegram channel's and the
console's tables live in their own rooms.)"""

from __future__ import annotations

import enum

from sqlalchemy import JSON, Boolean, Column, DateTime, Enum, Float, ForeignKey, Integer, String, Text, UniqueConstraint
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


class RevisionStatus(str, enum.Enum):
    """Where a revision stands in the workflow: draft → in review → published → retired."""

    draft = "draft"
    in_review = "in_review"
    published = "published"
    rejected = "rejected"  # sent back to its authors with the reviewer's comment
    retired = "retired"  # residents no longer get the entry


class RevisionOrigin(str, enum.Enum):
    shipped = "shipped"  # knowledge/content/*.yml, imported by `legalbot kb load` / run / train
    console = "console"  # written, imported or reviewed in the knowledge console


class EntryRevision(Base):
    """One immutable state of an entry: its full content, who made it, when, why, and its
    workflow status. Every save and every review step adds one; none is ever changed."""

    __tablename__ = "entry_revisions"
    __table_args__ = (UniqueConstraint("slug", "number", name="uq_entry_revision_number"),)

    id = Column(Integer, primary_key=True)
    slug = Column(String(80), nullable=False, index=True)
    number = Column(Integer, nullable=False)  # 1, 2, … per entry
    content = Column(JSON, nullable=False)  # slug, topic, title, answer, examples, citations
    status = Column(String(20), nullable=False)  # a RevisionStatus
    origin = Column(String(20), nullable=False)  # a RevisionOrigin
    author = Column(String(80), nullable=False)
    comment = Column(Text)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class Consultation(Base):
    """What one resident message led to, kept (masked) for LEGALBOT_CONSULTATION_DAYS so the
    普法 team sees what nobody answered."""

    __tablename__ = "consultations"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    sender_hash = Column(String(64), nullable=False, index=True)
    text = Column(Text, nullable=False)  # storage.privacy.mask applied
    topic = Column(String(40), nullable=False)
    action = Column(String(20), nullable=False)  # a knowledge.topics.Action
    entry_slug = Column(String(80))
    confidence = Column(Float, nullable=False)
    choices = Column(JSON, nullable=False, default=list)  # entry slugs offered when clarifying
    unhelpful = Column(Boolean, nullable=False, default=False)  # the resident pressed 没帮助


class TrainingStatus(str, enum.Enum):
    running = "running"
    succeeded = "succeeded"
    failed = "failed"


class TrainingRun(Base):
    """A model trained (or found in the cache) for the published entries. The newest one that
    succeeded is the model every Rasa worker serves (ops/model_server.py)."""

    __tablename__ = "training_runs"

    id = Column(Integer, primary_key=True)
    requested_by = Column(String(80), nullable=False)
    started_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)
    finished_at = Column(DateTime(timezone=True))
    status = Column(String(20), nullable=False)  # a TrainingStatus
    model = Column(Text)  # the model file's path
    error = Column(Text)
