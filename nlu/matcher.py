"""Rasa pipeline component: compares each message's sentence vector (from the featurizer, so the
encoder runs once) with every knowledge entry's example questions and with the curated safety
example sets (nlu/safety.yml), and adds the results to the parse:

    parse["entry_matches"] = [{"entry": slug, "similarity": best cosine, "top3": mean of the best
                               three, "z": how far the best stands above all entries' best, in
                               standard deviations}, ...]  (the closest first by "top3", the
                               closeness the entry choice scores: actions/entry_choice.py)
    parse["safety"] = {"danger": cosine, "needs_person": cosine, "ordinary": cosine}  (the best
                       cosine to each curated set)
    parse["other_law_match"] = mean cosine of the three nearest examples of the other_legal intent
                               (questions of another law, nlu/general.yml), to set beside the
                               closest entry's "top3"

Rasa returns what a component sets with ``add_to_output`` in the parse result, keeps it in the
tracker's user event, and the action server reads it as ``tracker.latest_message``: the decision
(actions/decision.py) uses it there without loading the encoder. The example vectors are trained
into the model, so the model and its examples never disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, INTENT_RESPONSE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from config.settings import PROJECT_ROOT, Settings
from nlu import encoder
from nlu.parse import ENTRY_MATCHES, OTHER_LAW_INTENT, OTHER_LAW_MATCH, SAFETY, SAFETY_SETS

SAFETY_FILE = PROJECT_ROOT / "nlu" / "safety.yml"


def three_nearest(similarity: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """The cosines of the three nearest of ``rows``, nearest first: the closeness an entry and the
    other-law examples are both scored by (their mean), so the two compare like with like."""
    return np.sort(similarity[rows])[::-1][:3]


def sentence_vector(message: Message) -> np.ndarray | None:
    _, sentence = message.get_dense_features(TEXT)
    return None if sentence is None else np.asarray(sentence.features, np.float32).reshape(-1)


def read_safety_sets(path: Path = SAFETY_FILE) -> dict[str, list[str]]:
    sets = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {name: [str(text) for text in sets.get(name) or []] for name in SAFETY_SETS}


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class ExampleMatcher(GraphComponent):
    """Nearest example questions by entry, nearness to the curated safety sets and to the examples
    of questions of another law."""

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {"entries": 5}  # how many of the closest entries the parse carries

    def __init__(
        self,
        config: dict[str, Any],
        storage: ModelStorage,
        resource: Resource,
        vectors: np.ndarray | None = None,
        labels: list[str] | None = None,
    ) -> None:
        self._config, self._storage, self._resource = config, storage, resource
        self._vectors = vectors
        self._labels = np.array(labels or [], dtype=str)  # str even when empty: compared with str below
        slugs = sorted({label.removeprefix("entry:") for label in self._labels if label.startswith("entry:")})
        self._groups = [(slug, np.flatnonzero(self._labels == f"entry:{slug}")) for slug in slugs]
        self._safety = {name: np.flatnonzero(self._labels == f"safety:{name}") for name in SAFETY_SETS}
        self._other_law = np.flatnonzero(self._labels == "other_law")

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> ExampleMatcher:
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        vectors, labels = [], []
        for message in training_data.intent_examples:
            key, vector = message.get(INTENT_RESPONSE_KEY), sentence_vector(message)
            if vector is None:
                continue
            if key and "/" in key:
                vectors.append(vector)
                labels.append("entry:" + key.split("/", 1)[1])
            elif message.get(INTENT) == OTHER_LAW_INTENT:
                vectors.append(vector)
                labels.append("other_law")
        cache = encoder.EmbeddingCache(Settings.from_env().embedding_cache)
        for name, texts in read_safety_sets().items():
            vectors.extend(cache.embed(texts))
            labels.extend([f"safety:{name}"] * len(texts))
        with self._storage.write_to(self._resource) as directory:
            np.save(directory / "vectors.npy", np.stack(vectors).astype(np.float32))
            (directory / "labels.json").write_text(json.dumps(labels, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> ExampleMatcher:
        with model_storage.read_from(resource) as directory:
            vectors = np.load(directory / "vectors.npy")
            labels = json.loads((directory / "labels.json").read_text(encoding="utf-8"))
        return cls(config, model_storage, resource, vectors, labels)

    def process(self, messages: list[Message]) -> list[Message]:
        if self._vectors is None:
            return messages
        for message in messages:
            vector = sentence_vector(message)
            if vector is None:
                continue
            similarity = self._vectors @ vector
            message.set(ENTRY_MATCHES, self._closest_entries(similarity), add_to_output=True)
            safety = {name: round(float(similarity[rows].max(initial=-1.0)), 4) for name, rows in self._safety.items()}
            message.set(SAFETY, safety, add_to_output=True)
            if self._other_law.size:
                other_law = three_nearest(similarity, self._other_law).mean()
                message.set(OTHER_LAW_MATCH, round(float(other_law), 4), add_to_output=True)
        return messages

    def _closest_entries(self, similarity: np.ndarray) -> list[dict]:
        best = [three_nearest(similarity, rows) for _, rows in self._groups]
        tops = np.array([b[0] for b in best])
        mean, spread = float(tops.mean()), float(tops.std()) or 1.0
        scored = [
            {
                "entry": slug,
                "similarity": round(float(b[0]), 4),
                "top3": round(float(b.mean()), 4),
                "z": round((float(b[0]) - mean) / spread, 3),
            }
            for (slug, _), b in zip(self._groups, best, strict=True)
        ]
        scored.sort(key=lambda match: -match["top3"])
        return scored[: self._config["entries"]]
