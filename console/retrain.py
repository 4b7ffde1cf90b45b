"""Retraining after a publication that changes the training data (a new entry, changed example
questions or title): one training at a time, in the background, while the old model keeps
answering. A model that trains is released, and every Rasa worker pulls it from the model
server; a training that fails is recorded with its reason and changes nothing residents get."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from config.settings import VAR
from knowledge.models import TrainingStatus
from knowledge.releases import current_model, finish_run, recent_runs, start_run
from knowledge.training_data import GENERATED_DIR, build
from nlu.train import MODELS_DIR, train
from storage.db import Database

LOG_TAIL = 2000  # characters of a failed training's output kept as its reason


@dataclass
class Progress:
    """What the training page shows."""

    status: str | None  # a TrainingStatus of the newest run, None before any
    requested_by: str | None
    started: float | None  # unix time
    finished: float | None
    expected_seconds: float | None  # how long the last training took
    last_line: str  # Rasa's latest progress line (e.g. "Epochs: 45%")
    error: str | None
    served_model: str | None


def _last_training_seconds() -> float | None:
    records = sorted(MODELS_DIR.glob("legalbot-*.train.json"), key=lambda p: p.stat().st_mtime)
    return json.loads(records[-1].read_text())["seconds"] if records else None


def _last_line(path: Path) -> str:
    if not path.exists():
        return ""
    tail = path.read_bytes()[-4000:].decode("utf-8", "replace")
    pieces = [p.strip() for p in tail.replace("\r", "\n").split("\n") if p.strip()]
    return pieces[-1][:200] if pieces else ""


class Retrainer:
    """Trains the model for the published entries in a background thread; a request while it
    trains makes it train once more afterwards (on the content as it is then)."""

    def __init__(
        self,
        db: Database,
        log: Path = VAR / "log" / "console-training.log",
        trainer: Callable[[IO], Path] | None = None,
        generated: Path = GENERATED_DIR,
    ):
        self.db = db
        self.log = log
        self._generated = generated  # where nlu/kb is written (a test's own directory in tests)
        self._train = trainer or (lambda out: train(log=out))
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._again: str | None = None

    def request(self, by: str) -> None:
        with self._lock:
            if self._thread is not None and self._thread.is_alive():
                self._again = by
                return
            self._thread = threading.Thread(target=self._work, args=(by,), daemon=True, name="retrain")
            self._thread.start()

    def wait(self, timeout: float | None = None) -> None:
        """Until the current training (and any requested after it) has ended."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _work(self, by: str) -> None:
        while True:
            self._train_once(by)
            with self._lock:
                if self._again is None:
                    return
                by, self._again = self._again, None

    def _train_once(self, by: str) -> None:
        with self.db.session() as s, s.begin():
            build(s, self._generated)  # nlu/kb from the published entries, written only here while the console runs
            run_id = start_run(s, by).id
        self.log.parent.mkdir(parents=True, exist_ok=True)
        try:
            with self.log.open("w", encoding="utf-8") as out:
                model = self._train(out)
        except Exception as error:  # any failure: the old model keeps serving, the page says why
            reason = _log_tail(self.log) or f"{type(error).__name__}: {error}"
            with self.db.session() as s, s.begin():
                finish_run(s, run_id, None, reason)
            return
        with self.db.session() as s, s.begin():
            finish_run(s, run_id, model.resolve())

    def progress(self) -> Progress:
        with self.db.session() as s:
            runs = recent_runs(s, 1)
            served = current_model(s)
        run = runs[0] if runs else None
        running = run is not None and run.status == TrainingStatus.running.value
        return Progress(
            status=run.status if run else None,
            requested_by=run.requested_by if run else None,
            started=run.started_at.timestamp() if run else None,
            finished=run.finished_at.timestamp() if run and run.finished_at else None,
            expected_seconds=_last_training_seconds(),
            last_line=_last_line(self.log) if running else "",
            error=run.error if run else None,
            served_model=served.name if served else None,
        )


def _log_tail(path: Path) -> str:
    """The end of a failed training's output: where Rasa says what went wrong."""
    if not path.exists():
        return ""
    return path.read_text(encoding="utf-8", errors="replace")[-LOG_TAIL:].strip()


def elapsed(progress: Progress) -> int:
    return int((progress.finished or time.time()) - progress.started) if progress.started else 0
