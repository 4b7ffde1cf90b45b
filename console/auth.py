"""Accounts, roles and logging in: argon2 password hashes, login attempts limited per account
and per address (counted in the database, so the limit holds across processes), roles that
include the ones below them, and the audit log of every change."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import abort
from flask_login import UserMixin, current_user
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from console.models import ConsoleUser, LoginAttempt, Role
from handoff.cases import audit as audit_log

HASHER = PasswordHasher()
MIN_PASSWORD = 10
WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_NAME = 5
MAX_FAILURES_PER_ADDRESS = 20
_RANK = {Role.editor: 1, Role.reviewer: 2, Role.admin: 3}


class AccountError(ValueError):
    pass


class User(UserMixin):
    """The logged-in person as Flask-Login keeps them for one request."""

    def __init__(self, row: ConsoleUser):
        self.id = row.id
        self.name = row.name
        self.role = Role(row.role)

    def may(self, role: Role) -> bool:
        return _RANK[self.role] >= _RANK[role]


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"a password needs at least {MIN_PASSWORD} characters")
    return HASHER.hash(password)


def add_user(session: Session, name: str, password: str, role: Role, by: str) -> ConsoleUser:
    name = name.strip()
    if not name or session.scalars(select(ConsoleUser).where(ConsoleUser.name == name)).first():
        raise AccountError(f"the account {name!r} exists already" if name else "an account needs a name")
    user = ConsoleUser(name=name, password_hash=hash_password(password), role=role.value, active=True)
    session.add(user)
    audit(session, by, "user_added", f"{name} as {role.value}")
    return user


def _failures(session: Session, column: Any, value: str, now: datetime) -> int:
    return session.scalar(
        select(func.count())
        .select_from(LoginAttempt)
        .where(column == value, LoginAttempt.succeeded.is_(False), LoginAttempt.at > now - WINDOW)
    )


def limited(session: Session, name: str, address: str, now: datetime) -> bool:
    """Too many failed logins lately for this account or from this address."""
    return (
        _failures(session, LoginAttempt.name, name, now) >= MAX_FAILURES_PER_NAME
        or _failures(session, LoginAttempt.address, address, now) >= MAX_FAILURES_PER_ADDRESS
    )


def authenticate(session: Session, name: str, password: str, address: str, now: datetime) -> ConsoleUser | None:
    """The active account whose password this is, or None; every attempt is counted."""
    user = session.scalars(select(ConsoleUser).where(ConsoleUser.name == name)).first()
    ok = False
    if user is not None and user.active:
        try:
            ok = HASHER.verify(user.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
        if ok and HASHER.check_needs_rehash(user.password_hash):
            user.password_hash = HASHER.hash(password)
    session.add(LoginAttempt(at=now, name=name[:60], address=address[:60], succeeded=ok))
    audit(session, name, "login" if ok else "login_failed", f"from {address}", allowed=ok)
    return user if ok else None


def audit(session: Session, who: str, action: str, detail: str | None = None, allowed: bool = True) -> None:
    """Who changed what, when: the console's rows in the shared audit log (actor console:<name>)."""
    audit_log(session, f"console:{who}"[:60], action, allowed=allowed, detail=detail)


def requires(role: Role) -> Callable:
    """A view for people with at least ``role`` (everyone else: 403)."""

    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated or not current_user.may(role):
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return wrap
