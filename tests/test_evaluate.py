"""The routing figures' arithmetic (the figures themselves are printed, never asserted)."""

from ops.evaluate import retrieval_figures
from ops.routing_figures import routing_figures


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
    assert figures["in_scope_accuracy"] == 0.5 and figures["macro_recall"] == 0.5
    assert figures["recall"] == {"civil.contract": 0.5, "other.legal": 0.5}
    assert figures["precision"] == {"civil.contract": 0.0, "civil.general": 1.0, "other.legal": 0.5}
    assert figures["other_legal_answered"] == 0.5  # the clarify offered entries for a criminal question
    assert figures["person_caught"] == 0.0 and figures["person_total"] == 1


def test_safety_and_outright_answers_are_counted_from_their_labels():
    rows = [
        {"topic": "civil.marriage", "action": "emergency"},
        {"topic": "civil.marriage", "action": "emergency"},
        {"topic": "civil.inheritance", "action": "handoff"},
        {"topic": "civil.inheritance", "entry": "inherit-conflicting-wills"},
        {"topic": "civil.inheritance", "entry": "inherit-conflicting-wills"},
        {"topic": "notary.elderly"},
    ]
    predictions = [
        {"topic": "civil.marriage", "action": "emergency"},
        {"topic": "civil.marriage", "action": "clarify"},  # danger answered with a question: missed
        {"topic": "civil.inheritance", "action": "emergency"},  # a person, through the safety net
        {"topic": "civil.inheritance", "action": "answer", "entry": "inherit-conflicting-wills"},
        {"topic": "civil.inheritance", "action": "answer", "entry": "inherit-will-forms"},
        {"topic": "notary.elderly", "action": "clarify"},
    ]
    figures = routing_figures(rows, predictions)
    assert (figures["danger_caught"], figures["danger_total"]) == (0.5, 2)
    assert (figures["person_caught"], figures["person_total"]) == (1.0, 1)
    assert figures["answerable_total"] == 3 and figures["answered_outright"] == 2 / 3
    assert figures["clarified"] == 1 / 3
    assert (figures["outright_precision"], figures["outright_total"]) == (0.5, 2)


def test_answerable_questions_sent_to_a_person_are_counted_as_false_alarms():
    rows = [
        {"topic": "labour.dispute", "entry": "labour-unpaid-wages"},
        {"topic": "civil.marriage", "action": "handoff"},  # labelled for a person: no false alarm
    ]
    predictions = [{"topic": "labour.dispute", "action": "handoff"}, {"topic": "civil.marriage", "action": "handoff"}]
    figures = routing_figures(rows, predictions)
    assert (figures["answerable_to_person"], figures["answerable_total"]) == (1.0, 1)


def test_outright_answers_without_a_gold_entry_are_checked_by_topic_and_by_gold_articles():
    code = "中华人民共和国民法典"
    rows = [
        {"topic": "civil.contract", "articles": [{"law": code, "article": 667}]},
        {"topic": "civil.contract", "alt": ["civil.general"], "articles": [{"law": code, "article": 188}]},
        {"topic": "civil.tort", "articles": [{"law": code, "article": 1165}]},
        {"topic": "civil.marriage", "articles": []},
        {"topic": "other.legal", "articles": [{"law": code, "article": 1}]},  # not answerable: not counted
    ]
    predictions = [
        {"topic": "civil.contract", "action": "answer", "entry": "iou", "citations": [{"law": code, "article": 667}]},
        {"topic": "civil.general", "action": "answer", "entry": "limits", "citations": [{"law": code, "article": 195}]},
        {"topic": "civil.tort", "action": "clarify"},
        {"topic": "civil.property", "action": "answer", "entry": "wall", "citations": [{"law": code, "article": 288}]},
        {"topic": "civil.general", "action": "answer", "entry": "x", "citations": [{"law": code, "article": 1}]},
    ]
    figures = routing_figures(rows, predictions, cited={(code, 667), (code, 1165), (code, 1)})
    assert figures["outright_right_topic"] == 2 / 3  # the alt topic counts; the neighbour's wall does not
    assert (figures["outright_cites_gold"], figures["outright_with_articles_total"]) == (0.5, 2)
    assert figures["gold_cited_by_an_entry"] == 2 / 3  # 667 and 1165 are cited by some entry, 188 by none
    assert routing_figures(rows, predictions)["gold_cited_by_an_entry"] is None  # no entries given


def test_hit_recall_and_mrr_at_k():
    figures = retrieval_figures([[1, 2, 3], [7, 8, 9], [4]], [{2, 5}, {9}, {6}])
    assert figures["hit"] == 2 / 3
    assert figures["recall"] == (0.5 + 1.0 + 0.0) / 3
    assert figures["mrr"] == (1 / 2 + 1 / 3 + 0.0) / 3
