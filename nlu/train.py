"""Train the Rasa model only when something that shapes it changed.

The model is cached as models/legalbot-<key>.tar.gz, where the key hashes every input:
config, domain, stories, all NLU data (generated included), the jieba dictionary files
(Rasa's own cache misses edits inside that folder) and the pipeline's own code. Training
always runs with --force so Rasa's internal cache cannot reuse a stale tokenizer.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

from config.settings import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / "models"
KEEP_MODELS = 3  # recent models kept, so switching back to a recent state needs no retraining
TRAINING_INPUTS = (
    "nlu/config.yml",
    "domain.yml",
    "stories",
    "nlu/general.yml",
    "nlu/kb",
    "nlu/dictionary",
    "nlu/normalize.py",
    "nlu/text.py",
)


def _files(root: Path) -> list[Path]:
    files = []
    for name in TRAINING_INPUTS:
        path = root / name
        files += sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return files


def model_key(root: Path = PROJECT_ROOT) -> str:
    digest = hashlib.sha256()
    for path in _files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path = PROJECT_ROOT) -> Path:
    return MODELS_DIR / f"legalbot-{model_key(root)}.tar.gz"


def rasa_command(*args: str) -> list[str]:
    """Rasa from this interpreter's environment (the project's .venv)."""
    return [sys.executable, "-m", "rasa", *args]


def train(force: bool = False, log: IO | None = None) -> Path:
    """Return the trained model for the current inputs, training it if it is not cached.
    Rasa's output goes to ``log`` when given (the console shows its progress), else stderr."""
    path = model_path()
    if path.exists() and not force:
        return path
    MODELS_DIR.mkdir(exist_ok=True)
    started = time.monotonic()
    subprocess.run(
        rasa_command(
            "train",
            "--config",
            "nlu/config.yml",
            "--domain",
            "domain.yml",
            "--data",
            "nlu/general.yml",
            "nlu/kb",
            "stories",
            "--out",
            str(MODELS_DIR),
            "--fixed-model-name",
            path.name.removesuffix(".tar.gz"),
            "--force",
        ),
        cwd=PROJECT_ROOT,
        check=True,
        stdout=log or sys.stderr,  # stdout may be a JSONL stream (route)
        stderr=subprocess.STDOUT if log else None,
    )
    training_record(path).write_text(json.dumps({"seconds": round(time.monotonic() - started, 1)}))
    for old in sorted(MODELS_DIR.glob("legalbot-*.tar.gz"), key=lambda p: p.stat().st_mtime)[:-KEEP_MODELS]:
        old.unlink()
        training_record(old).unlink(missing_ok=True)
    return path


def training_record(model: Path) -> Path:
    """Where the time a model took to train is kept (read by `legalbot bench`)."""
    return model.with_name(model.name.removesuffix(".tar.gz") + ".train.json")
