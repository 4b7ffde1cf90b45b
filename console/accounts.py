"""Accounts, for admins: add people with a role, change a role, disable an account. And the
training page everyone sees: the current retraining's progress, or how the last one ended."""

from __future__ import annotations

from dataclasses import asdict

import httpx
from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select
from werkzeug.wrappers import Response

from console.auth import AccountError, add_user, audit, requires
from console.context import console
from console.models import ConsoleUser, Role
from console.retrain import elapsed
from knowledge.releases import recent_runs
from texts import console as t

blueprint = Blueprint("accounts", __name__)


@blueprint.route("/users", methods=["GET", "POST"])
@requires(Role.admin)
def users() -> Response | str:
    if request.method == "POST":
        role = request.form.get("role", "")
        with console().db.session() as s, s.begin():
            try:
                if role not in Role.__members__:
                    raise AccountError(role)
                add_user(
                    s, request.form.get("name", ""), request.form.get("password", ""), Role(role), current_user.name
                )
            except AccountError as error:
                flash(t.PASSWORD_TOO_SHORT if "password" in str(error) else t.USER_EXISTS, "error")
                return redirect(url_for("accounts.users"))
        flash(t.USER_ADDED)
        return redirect(url_for("accounts.users"))
    with console().db.session() as s:
        people = list(s.scalars(select(ConsoleUser).order_by(ConsoleUser.name)))
    return render_template("users.html", people=people)


@blueprint.route("/users/<int:user_id>", methods=["POST"])
@requires(Role.admin)
def change(user_id: int) -> Response:
    with console().db.session() as s, s.begin():
        person = s.get(ConsoleUser, user_id)
        if person is None:
            return redirect(url_for("accounts.users"))
        role = request.form.get("role")
        if role in Role.__members__ and role != person.role:
            audit(s, current_user.name, "user_role", f"{person.name}: {person.role} -> {role}")
            person.role = role
        active = request.form.get("active") == "1"
        if active != person.active and person.id != current_user.id:  # nobody locks themselves out
            audit(s, current_user.name, "user_activated" if active else "user_deactivated", person.name)
            person.active = active
    flash(t.USER_CHANGED)
    return redirect(url_for("accounts.users"))


def _served_everywhere(model_url: str | None, key: str | None) -> bool | None:
    """Whether every recent pull of the Rasa workers already carries the released model."""
    if not model_url or not key:
        return None
    try:
        pulls = httpx.get(f"{model_url}/pulls", timeout=3).json()["pulls"][-10:]
    except (httpx.HTTPError, ValueError, KeyError):
        return None
    return bool(pulls) and all(p["sent"] == key for p in pulls[-4:])


@blueprint.route("/training")
@requires(Role.editor)
def training() -> str:
    c = console()
    progress = c.retrainer.progress()
    with c.db.session() as s:
        runs = recent_runs(s, 10)
    return render_template("training.html", progress=progress, elapsed=elapsed(progress), runs=runs)


@blueprint.route("/api/training")
@requires(Role.editor)
def training_json() -> Response:
    c = console()
    progress = c.retrainer.progress()
    key = progress.served_model.removeprefix("legalbot-").removesuffix(".tar.gz") if progress.served_model else None
    return jsonify({**asdict(progress), "elapsed": elapsed(progress), "live": _served_everywhere(c.model_url, key)})
