"""The real consultation core for integration tests: a trained model, the action server and
the Rasa server on free ports, and a fresh SQLite knowledge base loaded with the shipped content."""
from __future__ import annotations

import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from ops.cli import prepare
from ops.servers import free_port, running_core



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

    def say(self, sender: str, text: str) -> list[dict]:
        response = httpx.post(f"{self.url}/webhooks/rest/webhook", json={"sender": sender, "message": text},
                              timeout=60)
        response.raise_for_status()
        return response.json()


@pytest.fixture(scope="session")
def core(tmp_path_factory) -> Iterator[Core]:
    database_url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'legalbot.db'}"
    previous = {name: os.environ.get(name) for name in ("DATABASE_URL", "TRACKER_STORE_URL", "REDIS_KEY_PREFIX")}
    os.environ["DATABASE_URL"] = database_url  # inherited by the action server
    os.environ["TRACKER_STORE_URL"] = f"sqlite:///{tmp_path_factory.mktemp('conversations') / 'conversations.db'}"
    os.environ["REDIS_KEY_PREFIX"] = f"test{uuid.uuid4().hex[:12]}"  # this session's locks in Redis
    try:
        model = prepare()  # trains only if the training inputs changed since the cached model
        with running_core(model, rasa_port=free_port(), action_port=free_port(),
                          log_dir=tmp_path_factory.mktemp("logs")) as servers:
            yield Core(servers.url, database_url, model)
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@pytest.fixture
def sender() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"
