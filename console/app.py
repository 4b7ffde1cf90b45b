"""The knowledge console: a Flask application the 普法 team uses in a browser to write, review
and publish entries, try the assistant, and see what residents asked that nobody answered.
Server-rendered pages that work without JavaScript; CSRF on every form; nothing but the login
page for someone not logged in."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from flask import Flask, redirect, render_template, request, url_for
from flask_login import LoginManager, current_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.wrappers import Response

from config.settings import Settings, stored_secret
from console import accounts, asked, entries, session_views, transfer, tryit
from console.auth import User
from console.context import Console
from console.models import ConsoleUser, Role
from console.retrain import Retrainer
from knowledge.topics import ENTRY_TOPICS, TOPICS
from storage.db import Database
from texts import console as t

OPEN_ENDPOINTS = {"session.login", "static"}


def create_app(
    settings: Settings,
    db: Database | None = None,
    rasa_url: str | None = None,
    model_url: str | None = None,
    retrainer: Retrainer | None = None,
) -> Flask:
    db = db or Database(settings.database_url)
    app = Flask(__name__, static_folder=str(Path(__file__).parent / "static"))
    app.config.update(
        SECRET_KEY=settings.console.secret or stored_secret("console-secret"),
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.console.secure_cookies,
        SESSION_COOKIE_NAME="legalbot_console",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=8),
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
        MAX_CONTENT_LENGTH=5 * 1024 * 1024,  # an import file
    )
    app.extensions["legalbot"] = Console(
        db=db,
        settings=settings,
        rasa_url=rasa_url or settings.rasa_url,
        model_url=model_url,
        retrainer=retrainer or Retrainer(db),
    )
    logins = LoginManager(app)
    logins.session_protection = "strong"

    @logins.user_loader
    def load_user(user_id: str) -> User | None:
        with db.session() as s:
            row = s.get(ConsoleUser, int(user_id)) if user_id.isdigit() else None
            return User(row) if row is not None and row.active else None

    @app.before_request
    def only_the_login_page_for_strangers() -> Response | None:
        if request.endpoint in OPEN_ENDPOINTS or current_user.is_authenticated:
            return None
        if request.path.startswith("/api/"):
            return Response('{"error": "login required"}', 401, mimetype="application/json")
        return redirect(url_for("session.login"))

    CSRFProtect(app)  # after the login check: a stranger is sent to the login page first

    @app.after_request
    def no_caching_or_framing(response: Response) -> Response:
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:"
        response.headers["Cache-Control"] = "no-store"
        return response

    @app.errorhandler(CSRFError)
    def csrf_refused(error: CSRFError) -> tuple[str, int]:
        return render_template("message.html", message=t.CSRF_FAILED), 400

    @app.errorhandler(403)
    def forbidden(error: Exception) -> tuple[str, int]:
        return render_template("message.html", message=t.FORBIDDEN), 403

    @app.route("/")
    def home() -> Response:
        return redirect(url_for("entries.index"))

    app.jinja_env.globals.update(t=t, Role=Role, TOPICS=TOPICS, ENTRY_TOPICS=ENTRY_TOPICS)
    for blueprint in (
        session_views.blueprint,
        entries.blueprint,
        transfer.blueprint,
        tryit.blueprint,
        asked.blueprint,
        accounts.blueprint,
    ):
        app.register_blueprint(blueprint)
    return app
