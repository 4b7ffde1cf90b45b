"""The routing figures' arithmetic (the figures themselves are printed, never asserted)."""

from ops.evaluate import _recall_mrr, routing_figures


def test_alt_topics_count_as_correct_and_precision_is_per_predicted_topic():
    rows = [
        {"topic": "civil.contract", "alt": ["civil.general"]},
        {"topic": "civil.contract"},
        {"topic": "other.legal"},
        {"topic": "other.legal", "action": "handoff"},
    ]
    predictions = [
        {"topic": "civil.general", "action": "answer"},
        {"topic": "other.legal", "action": "handoff"},
        {"topic": "other.legal", "action": "handoff"},
        {"topic": "civil.contract", "action": "clarify"},
    ]
    figures = routing_figures(rows, predictions)
    assert figures["topic_accuracy"] == 0.5
    assert figures["recall"] == {"civil.contract": 0.5, "other.legal": 0.5}
    assert figures["precision"] == {"civil.contract": 0.0, "civil.general": 1.0, "other.legal": 0.5}
    assert figures["other_legal_answered"] == 0.5  # the clarify offered entries for a criminal question
    assert figures["action_accuracy"] == 0.0


def test_recall_and_mrr_at_k():
    recall, mrr = _recall_mrr([[1, 2, 3], [7, 8, 9]], [{2, 5}, {9}])
    assert recall == (0.5 + 1.0) / 2
    assert mrr == (1 / 2 + 1 / 3) / 2
