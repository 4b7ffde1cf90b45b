"""The model server every Rasa worker pulls its model from (endpoints.yml `models`).

Rasa's PUT /model replaces the model only in the Sanic worker that receives the call. Instead,
each worker asks here every LEGALBOT_MODEL_PULL_SECONDS with the hash of the model it serves
(If-None-Match) and gets 304, or the newly released model (ETag: its hash), which it loads.
A worker's event loop is busy while it loads, so the workers take turns (a rolling update):
while the first loads the new model, the others, still serving the old one, get 304 and answer
the residents; the rest get it once the first asks again with the new hash (it then answers
while they load). A worker with no model (just started) gets it at once. The released model is
the newest successful training run in the knowledge base (knowledge/releases.py). GET /pulls
lists the recent requests, so a test or the console can see that every worker has the new model.

Run by ops/servers.py as ``python -m ops.model_server --port N``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from config.settings import Settings
from knowledge.releases import current_model, model_key_of, released_keys
from storage.db import Database

KEEP_PULLS = 500
TURN_SECONDS = 900  # the longest one worker may take to load a model before the next gets it


class ModelHandler(BaseHTTPRequestHandler):
    db: Database
    pulls: deque  # (unix time, If-None-Match sent, status answered)
    turn: dict  # the rolling update under way: {"key": new model's key, "since": unix time}
    lock = threading.Lock()

    def do_GET(self) -> None:
        if self.path == "/health":
            self._json(200, {"status": "ok"})
        elif self.path.startswith("/model"):
            self._model()
        elif self.path == "/pulls":
            with self.db.session() as s:
                model = current_model(s)
            with self.lock:
                pulls = [{"at": at, "sent": sent, "status": status} for at, sent, status in self.pulls]
            self._json(200, {"current": model_key_of(model) if model else None, "pulls": pulls})
        else:
            self._json(404, {"error": "not found"})

    def _has_or_waits(self, sent: str | None, key: str, released: set[str]) -> bool:
        """Whether the worker asking (serving ``sent``) keeps its model for now: it has the
        released one, or another worker is loading it first. If not, it is its turn."""
        with self.lock:
            if sent == key:
                self.turn.clear()  # a worker serves the new model: the others may load it
                return True
            loading = self.turn.get("key") == key and time.time() - self.turn["since"] < TURN_SECONDS
            if sent in released and loading:
                return True
            self.turn.update(key=key, since=time.time())
            return False

    def _model(self) -> None:
        with self.db.session() as s:
            model = current_model(s)
            released = released_keys(s)
        sent = self.headers.get("If-None-Match")
        key = model_key_of(model) if model is not None else ""
        if model is None or not model.exists():
            status = 404
            self.send_response(status)
            self.end_headers()
        elif self._has_or_waits(sent, key, released):
            status = 304
            self.send_response(status)
            self.send_header("ETag", key)
            self.end_headers()
        else:
            status = 200
            self.send_response(status)
            self.send_header("ETag", model_key_of(model))
            self.send_header("filename", model.name)
            self.send_header("Content-Type", "application/gzip")
            self.send_header("Content-Length", str(model.stat().st_size))
            self.end_headers()
            with model.open("rb") as f:
                shutil.copyfileobj(f, self.wfile)
        with self.lock:
            self.pulls.append((time.time(), sent, status))

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: object) -> None:
        """Every worker polls every few seconds: no access log."""


def serve(db: Database, host: str, port: int) -> None:
    db.engine  # noqa: B018 - create (and migrate) it now, not in two request threads at once
    handler = type("Handler", (ModelHandler,), {"db": db, "pulls": deque(maxlen=KEEP_PULLS), "turn": {}})
    ThreadingHTTPServer((host, port), handler).serve_forever()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    serve(Database(Settings.from_env().database_url), "127.0.0.1", args.port)


if __name__ == "__main__":
    main()
