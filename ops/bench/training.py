"""How long a full training takes from a cold embedding cache (every example embedded) and from
a warm one (only new or changed examples would be): the model is trained twice, afresh."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from nlu.train import read_training_record, train


def training_times() -> dict[str, float]:
    with tempfile.TemporaryDirectory() as scratch:
        env = {**os.environ, "LEGALBOT_EMBEDDING_CACHE": str(Path(scratch) / "embeddings.sqlite")}
        times = {}
        for state in ("cold cache", "warm cache"):
            model = train(force=True, env=env)
            times[state] = read_training_record(model)["seconds"]
    return times
