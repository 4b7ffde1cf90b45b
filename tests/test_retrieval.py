"""Statute retrieval over the Civil Code."""

import pytest

from knowledge import retrieval
from knowledge.models import Citation, Entry
from knowledge.statutes import CIVIL_CODE


def articles(found):
    return [f.article for f in found]


def test_expansion_adds_the_statute_words_for_colloquial_ones():
    expanded = retrieval.expand("房东不退押金，老公说算了")
    assert "出租人" in expanded and "配偶" in expanded


def test_a_plain_question_finds_its_article():
    assert 1245 in articles(retrieval.search("饲养的动物造成他人损害，饲养人要承担责任吗"))
    assert 1077 in articles(
        retrieval.search("离婚登记申请以后三十日内可以撤回吗", hints=retrieval.Hints(topic="civil.marriage"))
    )


def test_results_are_civil_code_articles_in_order_of_score():
    found = retrieval.search("借款合同没有约定利息", k=5)
    assert len(found) == 5 and all(f.law == CIVIL_CODE for f in found)
    assert [f.score for f in found] == sorted((f.score for f in found), reverse=True)


@pytest.mark.parametrize(("topic", "first", "last"), [("civil.tort", 1164, 1260), ("civil.contract", 463, 988)])
def test_the_routed_topic_favours_its_book(topic, first, last):
    """A question that could belong to either book ("要负什么责任") leans to the routed one."""

    def in_book(hints: retrieval.Hints) -> int:
        return sum(first <= a <= last for a in articles(retrieval.search("要负什么责任", k=10, hints=hints)))

    assert in_book(retrieval.Hints(topic=topic)) > in_book(retrieval.Hints())


def test_the_citations_of_matched_entries_lift_their_articles():
    entry = Entry(
        slug="inherit-conflicting-wills",
        topic="civil.inheritance",
        citations=[Citation(law=CIVIL_CODE, article=1142, source="statute")],
    )
    question = "我爸写了好几份那个东西，听哪份"

    def rank(hints: retrieval.Hints) -> int:
        scores = retrieval.fused_scores(question, hints)
        return sorted(scores, key=lambda number: -scores[number]).index(1142)

    alone = rank(retrieval.Hints())
    assert rank(retrieval.Hints(selector_entries=[(entry, 0.9)])) < alone
    assert rank(retrieval.Hints(close_entries=[(entry, 3.0)])) < alone


def test_the_dense_retriever_sees_what_the_words_do_not():
    """邻居 makes the words retriever think of neighbours (相邻关系, articles 288-296); the dense one
    sees a dog that bit a child (饲养动物损害责任, articles 1245-1251)."""
    question = "邻居的狗咬伤了我儿子"
    assert not 1245 <= articles(retrieval.search(question, k=1, dense_weight=0.0))[0] <= 1251
    assert 1245 <= articles(retrieval.search(question, k=1))[0] <= 1251
