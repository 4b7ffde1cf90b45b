"""Rasa pipeline component: the e5 sentence vector of each message (nlu/encoder.py) as a dense
feature beside the sparse n-grams, so that DIETClassifier and the ResponseSelector can see that
老公 and 配偶, or 房东 and 出租人, mean the same thing.

Only SENTENCE features: with no transformer layers, DIET and the ResponseSelector classify from
the sentence position of the combined sequence (rasa/nlu/classifiers/diet_classifier.py,
`_last_token`), so token-level vectors would not be used. Rasa brings the sparse and dense widths
together itself (RasaFeatureCombiningLayer).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.featurizers.dense_featurizer.dense_featurizer import DenseFeaturizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from config.settings import Settings
from nlu import encoder


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER, is_trainable=False)
class SentenceEncoderFeaturizer(DenseFeaturizer, GraphComponent):
    """One 384-wide e5 vector per message text; training examples through the embedding cache."""

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> SentenceEncoderFeaturizer:
        return cls(execution_context.node_name, config)

    @classmethod
    def validate_config(cls, config: dict[str, Any]) -> None:
        """No options: the encoder is fixed (its version is part of the model's key)."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        messages = [m for m in training_data.training_examples if m.get(TEXT)]
        cache = encoder.EmbeddingCache(Settings.from_env().embedding_cache)
        for message, vector in zip(messages, cache.embed([m.get(TEXT) for m in messages]), strict=True):
            self._add(message, vector)
        return training_data

    def process(self, messages: list[Message]) -> list[Message]:
        with_text = [m for m in messages if m.get(TEXT)]
        for message, vector in zip(with_text, encoder.queries([m.get(TEXT) for m in with_text]), strict=True):
            self._add(message, vector)
        return messages

    def _add(self, message: Message, vector: np.ndarray) -> None:
        self.add_features_to_message(sequence=None, sentence=vector.reshape(1, -1), attribute=TEXT, message=message)
