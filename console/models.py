"""The console's own tables: its accounts and the login attempts that rate-limit them. What
they change is written in the shared audit log (handoff.models.AuditEntry)."""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, Column, DateTime, Integer, String

from storage.db import Base, utcnow


class Role(str, enum.Enum):
    """Each role may do what the ones before it may (see console/auth.py)."""

    editor = "editor"  # writes drafts and submits them for review
    reviewer = "reviewer"  # approves (publishes), rejects with a comment, retires
    admin = "admin"  # manages accounts


class ConsoleUser(Base):
    __tablename__ = "console_users"

    id = Column(Integer, primary_key=True)
    name = Column(String(60), unique=True, nullable=False)
    password_hash = Column(String(200), nullable=False)  # argon2id
    role = Column(String(20), nullable=False)  # a Role
    active = Column(Boolean, nullable=False, default=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=utcnow)


class LoginAttempt(Base):
    """Kept in the database so that the limit holds across the console's processes."""

    __tablename__ = "console_login_attempts"

    id = Column(Integer, primary_key=True)
    at = Column(DateTime(timezone=True), nullable=False, default=utcnow, index=True)
    name = Column(String(60), nullable=False, index=True)
    address = Column(String(60), nullable=False, index=True)
    succeeded = Column(Boolean, nullable=False)
