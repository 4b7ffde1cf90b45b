"""Train the Rasa model only when something that shapes it changed.

The model is cached as models/legalbot-<key>.tar.gz, where the key hashes every input:
the pipeline configuration, domain, stories, all NLU data (generated included), the jieba
dictionary files (Rasa's own cache misses edits inside that folder), the curated safety sets,
the pipeline's own code and the sentence encoder's version. Training always runs with --force so
Rasa's internal cache cannot reuse a stale tokenizer.

`without_encoder()` writes the same pipeline without the sentence encoder and what reads it, the
reference `legalbot eval` and `legalbot bench` put beside the served model.

The same inputs do not give the same model on every machine: TensorFlow's matrix products
(oneDNN) pick their kernels by the CPU's instruction sets, and their different rounding sends
training down another path (2026-12-07: on one machine two trainings were bit for bit the same,
one with oneDNN capped at AVX2 was not; docs/measurements.md, "The same inputs, another
machine"). So the training record says which machine trained the model, and `legalbot eval`
prints it beside the figures.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import yaml

from config.settings import PROJECT_ROOT, VAR
from nlu.encoder import encoder_version

MODELS_DIR = PROJECT_ROOT / "models"
KEEP_MODELS = 4  # recent models kept (with and without the encoder), so going back needs no training
CONFIG = PROJECT_ROOT / "nlu" / "config.yml"
ENCODER_COMPONENTS = ("nlu.featurizer.SentenceEncoderFeaturizer", "nlu.matcher.ExampleMatcher")
TRAINING_INPUTS = (
    "domain.yml",
    "stories",
    "nlu/general.yml",
    "nlu/kb",
    "nlu/dictionary",
    "nlu/safety.yml",
    "nlu/normalize.py",
    "nlu/text.py",
    "nlu/homophones.py",
    "nlu/encoder.py",
    "nlu/e5_engine.py",
    "nlu/featurizer.py",
    "nlu/matcher.py",
    "nlu/parse.py",
    "nlu/known_phrases.py",
)


def _files(root: Path) -> list[Path]:
    files = []
    for name in TRAINING_INPUTS:
        path = root / name
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file())
        elif path.exists():  # nlu/kb/ does not exist before the knowledge base is built
            files.append(path)
    return files


def model_key(root: Path = PROJECT_ROOT, config: Path = CONFIG) -> str:
    digest = hashlib.sha256(config.read_bytes() + b"\0" + encoder_version().encode() + b"\0")
    for path in _files(root):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]


def model_path(root: Path = PROJECT_ROOT, config: Path = CONFIG) -> Path:
    return MODELS_DIR / f"legalbot-{model_key(root, config)}.tar.gz"


def without_encoder() -> Path:
    """The served pipeline without the sentence encoder and its matcher (a file under var/)."""
    pipeline = yaml.safe_load(CONFIG.read_text(encoding="utf-8"))
    pipeline["pipeline"] = [c for c in pipeline["pipeline"] if c["name"] not in ENCODER_COMPONENTS]
    path = VAR / "config-without-encoder.yml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(pipeline, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def rasa_command(*args: str) -> list[str]:
    """Rasa from this interpreter's environment (the project's .venv)."""
    return [sys.executable, "-m", "rasa", *args]


def train(force: bool = False, config: Path = CONFIG, env: dict[str, str] | None = None, log: IO | None = None) -> Path:
    """Return the trained model for the current inputs, training it if it is not cached.
    ``env``: the training process's environment (where the embedding cache is, its threads);
    Rasa's output goes to ``log`` when given (the console shows its progress), else stderr."""
    path = model_path(config=config)
    if path.exists() and not force:
        return path
    MODELS_DIR.mkdir(exist_ok=True)
    started = time.monotonic()
    subprocess.run(
        rasa_command(
            "train",
            "--config",
            str(config),
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
        env=env,
    )
    record = {"seconds": round(time.monotonic() - started, 1), "machine": this_machine()}
    training_record(path).write_text(json.dumps(record))
    for old in sorted(MODELS_DIR.glob("legalbot-*.tar.gz"), key=lambda p: p.stat().st_mtime)[:-KEEP_MODELS]:
        old.unlink()
        training_record(old).unlink(missing_ok=True)
    return path


def training_record(model: Path) -> Path:
    """Where the time a model took to train and the machine it trained on are kept (read by
    `legalbot bench` and `legalbot eval`)."""
    return model.with_name(model.name.removesuffix(".tar.gz") + ".train.json")


def read_training_record(model: Path) -> dict:
    """What ``model``'s training record holds (empty for a model trained before records existed)."""
    record = training_record(model)
    return json.loads(record.read_text()) if record.exists() else {}


#: The instruction sets oneDNN chooses its kernels by. Of these, AVX2 against AVX-512 changed the
#: trained model on 2026-12-07's machine and AMX did not; all are named so a record tells.
KERNEL_FLAGS = ("avx2", "avx512f", "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16")


def this_machine(cpuinfo: Path = Path("/proc/cpuinfo")) -> str:
    """The CPU's model name, its cores and the instruction sets among KERNEL_FLAGS it has."""
    if not cpuinfo.exists():  # not Linux
        return f"{platform.machine()}, instruction sets unknown"
    lines = cpuinfo.read_text().splitlines()
    first: dict[str, str] = {}  # the first core's fields (every core lists the same)
    for line in lines:
        name, _, value = line.partition(":")
        first.setdefault(name.strip(), value.strip())
    flags = set(first.get("flags", "").split())
    cores = sum(line.startswith("processor") for line in lines)
    kernels = " ".join(flag for flag in KERNEL_FLAGS if flag in flags) or "no AVX2"
    return f"{first.get('model name', platform.machine())}, {cores} core{'s' * (cores != 1)}, {kernels}"


def trained_on(model: Path) -> str:
    """The machine that trained ``model``, as its training record tells (older records do not)."""
    return read_training_record(model).get("machine") or "not recorded"
