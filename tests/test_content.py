"""The shipped content and the checks that keep a wrong citation away from residents."""

from collections import Counter

import pytest

from knowledge.content import CitationSpec, EntrySpec, check, citation_problem, read_content
from knowledge.topics import ENTRY_TOPICS

SHIPPED = read_content()


def spec(**changes) -> EntrySpec:
    base = dict(
        slug="inherit-test-entry",
        topic="civil.inheritance",
        title="测试",
        answer="以最后的遗嘱为准。",
        examples=[f"问题{i}" for i in range(8)],
        citations=[CitationSpec(law="中华人民共和国民法典", article=1142)],
        origin="test.yml",
    )
    return EntrySpec(**{**base, **changes})


def test_shipped_content_passes_every_check():
    assert check(SHIPPED) == []


def test_shipped_content_covers_every_topic_in_the_promised_depth():
    counts = Counter(s.topic for s in SHIPPED)
    assert len(SHIPPED) >= 120
    assert set(counts) == set(ENTRY_TOPICS)
    assert sum(n for t, n in counts.items() if t.startswith("civil.")) >= 60
    assert counts["civil.marriage"] >= 12 and counts["civil.inheritance"] >= 12
    assert counts["notary.elderly"] >= 15 and counts["election.committee"] >= 15
    for topic in ("elderly.rights", "service.legal_aid", "service.mediation", "labour.dispute"):
        assert counts[topic] >= 5


def test_answers_leave_the_legal_basis_to_the_citations():
    """The 法律依据 line is generated from the verified citations, never typed into the answer."""
    assert not [s.slug for s in SHIPPED if "法律依据" in s.answer or "《" in s.answer]


def test_a_valid_entry_has_no_problems():
    assert check([spec()]) == []


@pytest.mark.parametrize("law", ["中华人民共和国继承法", "婚姻法", "中华人民共和国合同法", "中华人民共和国物权法"])
def test_a_repealed_law_is_rejected_with_the_reason(law):
    problem = citation_problem(CitationSpec(law=law, article=10))
    assert "repealed" in problem and "民法典" in problem


def test_an_article_that_does_not_exist_is_rejected():
    assert "not an article in force" in citation_problem(CitationSpec(law="中华人民共和国民法典", article=1300))


def test_a_law_marked_repealed_in_the_statute_database_is_rejected():
    # The database marks this edition 已废止; only articles in force may be cited.
    assert citation_problem(CitationSpec(law="中华人民共和国农村土地承包法", article=36))


def test_a_quote_must_be_the_statute_text():
    good = CitationSpec(
        law="中华人民共和国民法典", article=1142, quote="立有数份遗嘱，内容相抵触的，以最后的遗嘱为准。"
    )
    bad = CitationSpec(law="中华人民共和国民法典", article=1142, quote="公证遗嘱效力优先。")
    assert citation_problem(good) is None
    assert "quote does not match" in citation_problem(bad)


def test_a_local_rule_needs_its_document_number():
    assert citation_problem(CitationSpec(law="广州市某办法", source="local"))
    assert citation_problem(CitationSpec(law="广州市某办法", source="local", number="穗府办规〔2021〕1号")) is None


@pytest.mark.parametrize(
    "changes, words",
    [
        (dict(examples=["问题"] * 8), "distinct example questions"),
        (dict(citations=[]), "no citations"),
        (dict(topic="civil.unknown"), "unknown topic"),
        (dict(slug="Bad Slug"), "slug"),
        (dict(answer="很长" * 300), "characters"),
    ],
)
def test_an_unfit_entry_is_rejected(changes, words):
    assert any(words in p for p in check([spec(**changes)]))


def test_a_slug_used_twice_is_rejected():
    assert any("also used" in p for p in check([spec(), spec(origin="other.yml")]))
