"""The example matcher, on vectors small enough to check by eye: the entries it hands the decision
come in the order the decision scores them, by the mean of their three nearest examples."""

import numpy as np
import pytest
from rasa.shared.nlu.constants import FEATURE_TYPE_SENTENCE, TEXT
from rasa.shared.nlu.training_data.features import Features
from rasa.shared.nlu.training_data.message import Message

from nlu.matcher import ExampleMatcher
from nlu.parse import ENTRY_MATCHES, OTHER_LAW_MATCH, SAFETY


def unit(*values: float) -> list[float]:
    vector = np.array(values, dtype=np.float32)
    return list(vector / np.linalg.norm(vector))


def matcher(examples: dict[str, list[list[float]]], entries: int) -> ExampleMatcher:
    labels = [label for label, vectors in examples.items() for _ in vectors]
    vectors = np.array([v for vs in examples.values() for v in vs], dtype=np.float32)
    return ExampleMatcher({"entries": entries}, None, None, vectors, labels)  # type: ignore[arg-type]


def matches(component: ExampleMatcher, query: list[float]) -> Message:
    message = Message(data={TEXT: "问题"})
    message.add_features(Features(np.array([query], np.float32), FEATURE_TYPE_SENTENCE, TEXT, "test"))
    return component.process([message])[0]


def test_an_entry_whose_three_nearest_ask_the_question_outranks_one_lucky_example():
    component = matcher(
        {
            # one example almost the question, the other two about something else
            "entry:lucky-phrase": [unit(1, 0.1, 0), unit(0, 0, 1), unit(0, 1, 1)],
            "entry:all-close": [unit(1, 0.3, 0), unit(1, 0.35, 0), unit(1, 0.4, 0)],
            "entry:far": [unit(0, 0, 1)] * 3,
        },
        entries=2,
    )
    found = matches(component, unit(1, 0.1, 0)).get(ENTRY_MATCHES)
    assert [m["entry"] for m in found] == ["all-close", "lucky-phrase"]
    assert found[1]["similarity"] > found[0]["similarity"]  # the nearest alone would have put it first
    assert found[0]["top3"] > found[1]["top3"]


def test_safety_nearness_is_the_best_cosine_to_each_curated_set():
    component = matcher(
        {
            "entry:any": [unit(1, 0, 0)] * 3,
            "safety:danger": [unit(0, 1, 0), unit(0, 0, 1)],
            "safety:needs_person": [unit(0, 0, 1)],
            "safety:ordinary": [unit(1, 0, 0)],
        },
        entries=5,
    )
    safety = matches(component, unit(0, 1, 0)).get(SAFETY)
    assert safety == {"danger": 1.0, "needs_person": 0.0, "ordinary": 0.0}


def test_other_law_nearness_is_the_mean_of_the_three_nearest_other_law_examples():
    component = matcher(
        {
            "entry:any": [unit(1, 0, 0)] * 3,
            "other_law": [unit(0, 1, 0), unit(0, 1, 0), unit(1, 1, 0), unit(0, 0, 1)],
        },
        entries=5,
    )
    message = matches(component, unit(0, 1, 0))
    assert message.get(OTHER_LAW_MATCH) == pytest.approx((1 + 1 + 2**-0.5) / 3, abs=1e-4)
    assert message.get(ENTRY_MATCHES)[0]["top3"] == 0.0


def test_a_model_without_other_law_examples_adds_no_other_law_nearness():
    message = matches(matcher({"entry:any": [unit(1, 0, 0)] * 3}, entries=5), unit(0, 1, 0))
    assert message.get(OTHER_LAW_MATCH) is None
