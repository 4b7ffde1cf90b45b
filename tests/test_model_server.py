"""The model server the Rasa workers pull from, over HTTP: the released model with its hash as
ETag, 304 for a worker that has it, and one worker at a time loading a new release."""

from __future__ import annotations

import threading
from pathlib import Path

import httpx
import pytest

from knowledge.releases import release
from ops.model_server import serve
from ops.servers import free_port
from storage.db import Database


@pytest.fixture
def served(tmp_path) -> tuple[str, Database, Path]:
    db = Database(f"sqlite:///{tmp_path / 'kb.db'}")
    old = tmp_path / "legalbot-00000000000000aa.tar.gz"
    old.write_bytes(b"old model")
    with db.session() as s, s.begin():
        release(s, old, "test")
    port = free_port()
    threading.Thread(target=serve, args=(db, "127.0.0.1", port), daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            httpx.get(f"{url}/health", timeout=1)
            break
        except httpx.TransportError:
            threading.Event().wait(0.05)
    return url, db, tmp_path


def pull(url: str, serving: str | None) -> httpx.Response:
    return httpx.get(f"{url}/model", headers={"If-None-Match": serving} if serving else {}, timeout=5)


def test_a_new_worker_gets_the_model_and_one_that_has_it_gets_304(served):
    url, _, _ = served
    first = pull(url, "a-random-fingerprint")
    assert (first.status_code, first.headers["ETag"], first.content) == (200, "00000000000000aa", b"old model")
    assert pull(url, "00000000000000aa").status_code == 304


def test_workers_load_a_new_release_in_turn(served):
    url, db, tmp_path = served
    new = tmp_path / "legalbot-00000000000000bb.tar.gz"
    new.write_bytes(b"new model")
    with db.session() as s, s.begin():
        release(s, new, "test")
    assert pull(url, "00000000000000aa").status_code == 200  # the first worker loads it
    assert pull(url, "00000000000000aa").status_code == 304  # the second keeps answering meanwhile
    assert pull(url, "00000000000000bb").status_code == 304  # the first has loaded it
    second = pull(url, "00000000000000aa")
    assert (second.status_code, second.headers["ETag"]) == (200, "00000000000000bb")
    assert [p["status"] for p in httpx.get(f"{url}/pulls").json()["pulls"]] == [200, 304, 304, 200]
