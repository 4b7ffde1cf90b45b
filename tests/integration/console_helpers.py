"""The knowledge console served for real (waitress, on a free port) beside the real core, and a
headless Debian chromium driven by Playwright (never downloaded: /usr/bin/chromium)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Browser, Page, sync_playwright
from waitress import create_server

from console.app import create_app
from console.auth import add_user
from console.models import Role
from console.retrain import Retrainer
from ops.servers import free_port
from storage.db import Database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
PASSWORD = "browser test password"


@dataclass
class ServedConsole:
    url: str
    app: Flask

    @property
    def retrainer(self) -> Retrainer:
        return self.app.extensions["legalbot"].retrainer


def add_people(db: Database, prefix: str) -> dict[Role, str]:
    """One account per role, named after ``prefix`` so that sessions sharing a database differ."""
    names = {role: f"{prefix}-{role.value}" for role in Role}
    with db.session() as s, s.begin():
        for role, name in names.items():
            add_user(s, name, PASSWORD, role, by="test")
    return names


@pytest.fixture(scope="module")
def served_console(core) -> Iterator[ServedConsole]:
    app = create_app(core.settings, core.db, rasa_url=core.url, model_url=core.model_url)
    port = free_port()
    server = create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield ServedConsole(f"http://127.0.0.1:{port}", app)
    finally:
        server.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def log_in(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("#login button")
    page.wait_for_url(f"{base}/entries")
