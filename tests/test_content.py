"""The shipped content and the checks that keep a wrong citation away from residents."""

from collections import Counter

import pytest

from knowledge.citations import citation_problem
from knowledge.content import CitationSpec, EntrySpec, check, read_content
from knowledge.sources import SourceStatus, read_register, register_problems
from knowledge.topics import ENTRY_TOPICS

SHIPPED = read_content()


def spec(**changes) -> EntrySpec:
    slug = changes.get("slug", "inherit-test-entry")
    base = dict(
        slug=slug,
        topic="civil.inheritance",
        title="测试",
        answer="以最后的遗嘱为准。",
        examples=[f"{word}的第{i}个问题" for i, word in enumerate([slug] * 8)],
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
    problem = citation_problem(law, 10)
    assert "repealed" in problem and "民法典" in problem


def test_an_article_that_does_not_exist_is_rejected():
    assert "not an article in force" in citation_problem("中华人民共和国民法典", 1300)


def test_a_law_marked_repealed_in_the_statute_database_is_rejected():
    # The database marks this edition 已废止; only articles in force may be cited.
    assert citation_problem("中华人民共和国农村土地承包法", 36)


def test_a_quote_must_be_the_statute_text():
    code = "中华人民共和国民法典"
    assert citation_problem(code, 1142, "立有数份遗嘱，内容相抵触的，以最后的遗嘱为准。") is None
    assert "quote does not match" in citation_problem(code, 1142, "公证遗嘱效力优先。")


LENDING = "最高人民法院关于审理民间借贷案件适用法律若干问题的规定"


def test_a_registered_interpretation_is_checked_like_a_statute():
    assert citation_problem(LENDING, 25, "超过合同成立时一年期贷款市场报价利率四倍") is None
    assert citation_problem(f"《{LENDING}》", 25) is None  # cited with its book-title marks
    assert "quote does not match" in citation_problem(LENDING, 25, "年利率超过百分之三十六")
    assert "not in the register" in citation_problem(LENDING, 99)


def test_a_repealed_interpretation_is_refused_and_its_successor_named():
    problem = citation_problem("最高人民法院关于适用《中华人民共和国婚姻法》若干问题的解释（一）", 1)
    assert "repealed" in problem and "法释〔2020〕16号" in problem
    assert "婚姻家庭编的解释（一）" in problem


def test_the_register_itself_is_sound_and_every_in_force_text_has_its_provenance():
    registered, unreadable = read_register()
    assert unreadable == [] and register_problems(registered) == []
    assert {s.status for s in registered} == {SourceStatus.in_force, SourceStatus.repealed}


def test_register_problems_are_found(tmp_path):
    (tmp_path / "wrong-name.yml").write_text(
        "id: some-rule\ntitle: 某规定\nkind: rumour\nissuer: 某\njurisdiction: mars\nstatus: repealed\n"
        "checked: 2026-12-03\nprovenance: {}\narticles: {}\n",
        encoding="utf-8",
    )
    (tmp_path / "incomplete.yml").write_text("id: incomplete\ntitle: 某办法\n", encoding="utf-8")
    registered, unreadable = read_register(tmp_path)
    problems = "\n".join(unreadable + register_problems(registered))
    for words in ("missing kind", "not the file's name", "unknown kind", "unknown jurisdiction", "needs a status_note"):
        assert words in problems


def test_the_same_question_in_two_entries_is_flagged():
    shared = "我老公打我，可以申请人身安全保护令吗"
    first = spec(slug="inherit-first-entry", examples=[shared, *spec(slug="inherit-first-entry").examples[1:]])
    second = spec(slug="inherit-other-entry", examples=[shared + "？", *spec(slug="inherit-other-entry").examples[1:]])
    problems = check([first, second])
    assert len(problems) == 1 and "same question" in problems[0] and "inherit-other-entry" in problems[0]


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
