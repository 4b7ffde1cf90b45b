"""The real consultation core for integration tests: a trained model, the action server and
the Rasa server on free ports, and a fresh SQLite knowledge base loaded with the shipped content."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from config.settings import Settings
from ops.servers import free_ports, running_core
from ops.training import prepare
from storage.db import Database
from tests.integration.console_helpers import browser, served_console  # noqa: F401 - fixtures of the console tests
from tests.integration.handoff_helpers import office  # noqa: F401 - a fixture of the handoff tests


def pytest_collection_modifyitems(items) -> None:
    """Everything here talks to the real servers: `-m "not integration"` leaves it out."""
    for item in items:
        if "integration" in item.nodeid.split("/"):
            item.add_marker(pytest.mark.integration)


@dataclass
class Core:
    url: str
    database_url: str
    model: Path
    settings: Settings
    model_url: str = ""  # the model server the Rasa workers pull from
    token: str = ""  # the Rasa server's HTTP API token (its REST channel needs none)
    pids: dict[str, int] = field(default_factory=dict)  # each server's process (Rasa's workers are its children)

    @property
    def db(self) -> Database:
        return Database(self.database_url)

    def say(self, sender: str, text: str) -> list[dict]:
        response = httpx.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()


def isolated_settings(tmp_path_factory, **changes) -> Settings:
    """The environment's settings with databases of their own and a Redis key prefix of their own."""
    base = Settings.from_env()
    return dataclasses.replace(
        base,
        database_url=f"sqlite:///{tmp_path_factory.mktemp('db') / 'legalbot.db'}",
        tracker_store_url=f"sqlite:///{tmp_path_factory.mktemp('conversations') / 'conversations.db'}",
        redis=dataclasses.replace(base.redis, key_prefix=f"test{uuid.uuid4().hex[:12]}"),
        **changes,
    )


@pytest.fixture(scope="session")
def core(tmp_path_factory) -> Iterator[Core]:
    """The servers on this session's own databases, with their locks under this session's prefix
    in Redis; the settings reach the servers through their environment (ops/servers.py)."""
    settings = isolated_settings(tmp_path_factory)
    model = prepare(Database(settings.database_url))  # trains only if the training inputs changed
    rasa_port, action_port, model_port = free_ports(3)
    with running_core(
        model,
        settings,
        rasa_port=rasa_port,
        action_port=action_port,
        model_port=model_port,
        log_dir=tmp_path_factory.mktemp("logs"),
    ) as servers:
        pids = {name: process.pid for name, process in servers.processes.items()}
        yield Core(servers.url, settings.database_url, model, settings, servers.model_url, servers.token, pids)


@pytest.fixture
def sender() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"
