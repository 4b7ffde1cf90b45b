"""The console as the Flask test client drives it: a knowledge base with a few entries and one
account of each role, CSRF protection on as in production."""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from config.settings import ConsoleSettings, Settings
from console.app import create_app
from console.auth import add_user
from console.models import Role
from console.retrain import Retrainer
from knowledge.content import load
from storage.db import Database
from tests.test_content import spec

PASSWORD = "a long enough password"
PEOPLE = {"admin1": Role.admin, "reviewer1": Role.reviewer, "reviewer2": Role.reviewer, "editor1": Role.editor}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture
def console_db(db_url) -> Database:
    db = Database(db_url)
    with db.session() as s, s.begin():
        load(s, [spec(), spec(slug="inherit-other-entry", title="另一个")])
        for name, role in PEOPLE.items():
            add_user(s, name, PASSWORD, role, by="test")
    return db


def training_that_fails(out) -> Path:
    """A training process that fails as Rasa's does, with its reason on its output (the unit
    tests never train a real model; tests/integration does)."""
    subprocess.run(
        [sys.executable, "-c", "import sys; print('InvalidConfigException: no training in unit tests'); sys.exit(1)"],
        stdout=out,
        check=True,
    )
    raise AssertionError("unreachable")


@pytest.fixture
def app(console_db, tmp_path):
    settings = replace(Settings(), console=ConsoleSettings(secret="test-secret"), sender_hash_key="test-key")
    retrainer = Retrainer(
        console_db, log=tmp_path / "training.log", trainer=training_that_fails, generated=tmp_path / "kb"
    )
    application = create_app(settings, console_db, rasa_url="http://127.0.0.1:9", retrainer=retrainer)
    application.config["TESTING"] = True
    return application


def token(client, path: str = "/login") -> str:
    return TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


def log_in(client, name: str) -> str:
    """Log ``name`` in; returns the CSRF token of the session."""
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token(client)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return token(client, "/entries")
