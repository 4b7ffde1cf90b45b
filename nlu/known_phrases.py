"""Rasa pipeline component: a message that is one of the hand-written examples of nlu/general.yml
(好, 唔使, 拜拜, 没帮助, 转人工), punctuation and sentence-final particles aside, gets that
example's intent; so does a message made only of pleasantries (好的，谢谢，拜拜): the last one's.

DIET cannot learn these intents from a few words each: a reply of a character or two has few
n-grams and its e5 vector is near every question's (cross-validation of 2026-12-04: affirm,
deny and goodbye F1 0.00, greet 0.39), and 62 of the 614 general examples, parsed by the trained
model, routed elsewhere — 没帮助 answered as a greeting, its feedback lost; 拜拜 and 不用 asked
"which one did you mean". Runs after the FallbackClassifier, so a known phrase wins over
nlu_fallback; the training examples stay the one list of what each phrase means.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from nlu.text import letters_and_digits, normalize_text

logger = logging.getLogger(__name__)

#: Sentence-final particles: 好啊, 不用了 and 唔使喇 mean what 好, 不用 and 唔使 mean.
PARTICLES = "了啦喇呀啊吧哦噢喔嘞咯啰嘛"
PHRASES_FILE = "phrases.json"
#: Intents that close or open a conversation and ask for nothing: a message strung from them
#: (明白了，多谢，拜拜) means its last one. A clause of any other intent (转人工, 没帮助) or one
#: the examples do not hold leaves the message to the model.
PLEASANTRIES = frozenset({"greet", "thanks", "goodbye", "affirm"})


CLAUSE_BREAK = re.compile(r"[\W_]+")


def bare(text: str) -> str:
    """The words of a short message: normalised, without punctuation, spaces, case or
    sentence-final particles (an example and a message are compared this way)."""
    return _key(normalize_text(text))


def _key(normalized: str) -> str:
    return letters_and_digits(normalized).lower().rstrip(PARTICLES)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class KnownPhraseClassifier(GraphComponent):
    """The intent of a message identical to a hand-written (not a knowledge entry's) example."""

    def __init__(self, storage: ModelStorage, resource: Resource, phrases: dict[str, str] | None = None) -> None:
        self._storage, self._resource = storage, resource
        self._phrases = phrases or {}

    @classmethod
    def create(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> KnownPhraseClassifier:
        return cls(model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        intents: dict[str, set[str]] = {}
        for message in training_data.intent_examples:
            if "/" in (message.get(INTENT_RESPONSE_KEY) or ""):
                continue  # a knowledge entry's example: the entry choice reads those
            intents.setdefault(bare(message.get(TEXT) or ""), set()).add(message.get(INTENT))
        phrases: dict[str, str] = {}
        for key, names in intents.items():
            if len(names) > 1:
                logger.warning("'%s' is an example of %s; it is left to the model", key, sorted(names))
            elif key:
                phrases[key] = names.pop()
        with self._storage.write_to(self._resource) as directory:
            (directory / PHRASES_FILE).write_text(json.dumps(phrases, ensure_ascii=False), encoding="utf-8")
        return self._resource

    @classmethod
    def load(
        cls,
        config: dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> KnownPhraseClassifier:
        with model_storage.read_from(resource) as directory:
            phrases = json.loads((directory / PHRASES_FILE).read_text(encoding="utf-8"))
        return cls(model_storage, resource, phrases)

    def intent_of(self, text: str) -> str | None:
        normalized = normalize_text(text)  # once per message: the Rasa server runs this on every one
        whole = self._phrases.get(_key(normalized))
        if whole is not None:
            return whole
        keys = [key for key in map(_key, CLAUSE_BREAK.split(normalized)) if key]
        clauses = [self._phrases.get(key) for key in keys]
        if len(clauses) > 1 and all(intent in PLEASANTRIES for intent in clauses):
            return clauses[-1]
        return None

    def process(self, messages: list[Message]) -> list[Message]:
        for message in messages:
            intent = self.intent_of(message.get(TEXT) or "")
            if intent is None:
                continue
            others = [r for r in message.get(INTENT_RANKING_KEY) or [] if r.get(INTENT_NAME_KEY) != intent]
            known = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, known, add_to_output=True)
            message.set(INTENT_RANKING_KEY, [known, *others], add_to_output=True)
        return messages
