"""Logging in and out (the only page a stranger gets is the login page)."""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_login import current_user, login_user, logout_user
from werkzeug.wrappers import Response

from console.auth import WINDOW, User, audit, authenticate, limited
from console.context import console
from storage.db import utcnow
from texts import console as t

blueprint = Blueprint("session", __name__)


@blueprint.route("/login", methods=["GET", "POST"])
def login() -> Response | str | tuple[str, int]:
    if request.method == "GET":
        return render_template("login.html")
    name = request.form.get("name", "").strip()
    address = request.remote_addr or "unknown"
    now = utcnow()
    with console().db.session() as s, s.begin():
        if limited(s, name, address, now):
            audit(s, name or "?", "login_refused", f"rate limit, from {address}", allowed=False)
            message = t.LOGIN_LIMITED.format(minutes=int(WINDOW.total_seconds() // 60))
            return render_template("login.html", error=message), 429
        user = authenticate(s, name, request.form.get("password", ""), address, now)
        if user is None:
            return render_template("login.html", error=t.LOGIN_FAILED), 401
        person = User(user)
    session.clear()  # a new session for the new identity
    session.permanent = True
    login_user(person)
    return redirect(url_for("entries.index"))


@blueprint.route("/logout", methods=["POST"])
def logout() -> Response:
    if current_user.is_authenticated:
        with console().db.session() as s, s.begin():
            audit(s, current_user.name, "logout")
    logout_user()
    session.clear()
    return redirect(url_for("session.login"))
