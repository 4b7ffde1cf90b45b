import pytest

from knowledge.statutes import (
    CIVIL_CODE,
    article_label,
    find_article,
    parse_article_ref,
    repealed_name,
    resolve_law_name,
)


def test_find_article_returns_the_text_in_force():
    article = find_article(CIVIL_CODE, 1142)
    assert "以最后的遗嘱为准" in article.text
    assert article.heading == "《中华人民共和国民法典》第一千一百四十二条"


@pytest.mark.parametrize("number, ending", [(204, "当事人另有约定的除外。"), (1258, "应当承担侵权责任。")])
def test_the_headings_of_the_next_part_are_not_part_of_an_article(number, ending):
    # The database appends "第二编 物 权\n第一分编 通 则" to 204 and "附 则" to 1258.
    assert find_article(CIVIL_CODE, number).text.endswith(ending)


def test_the_2025_village_committee_law_is_the_one_in_force():
    article = find_article("中华人民共和国村民委员会组织法", 14)
    assert "五年" in article.text


def test_a_missing_article_is_none():
    assert find_article(CIVIL_CODE, 9999) is None
    assert find_article("中华人民共和国不存在法", 1) is None


@pytest.mark.parametrize("name", ["婚姻法", "中华人民共和国继承法", "《合同法》", "民法通则", "担保法"])
def test_laws_replaced_by_the_civil_code_are_recognised(name):
    assert repealed_name(name)


@pytest.mark.parametrize("name", ["中华人民共和国劳动合同法", "中华人民共和国民法典", "民法典"])
def test_laws_in_force_are_not_called_repealed(name):
    assert repealed_name(name) is None


@pytest.mark.parametrize(
    "text, law, number",
    [
        ("民法典第1134条", CIVIL_CODE, 1134),
        ("请问民法典第一千一百三十四条说什么", CIVIL_CODE, 1134),
        ("民法典 第 1077 条", CIVIL_CODE, 1077),
        ("村民委员会组织法第十六条", "中华人民共和国村民委员会组织法", 16),
        ("我想看《中华人民共和国公证法》第二十六条", "中华人民共和国公证法", 26),
        ("劳动合同法第八十二条", "中华人民共和国劳动合同法", 82),
        ("民法典第一千零七十七条", CIVIL_CODE, 1077),
    ],
)
def test_article_references_are_parsed_with_chinese_or_arabic_numerals(text, law, number):
    ref = parse_article_ref(text)
    assert (ref.law, ref.number) == (law, number)


def test_a_repealed_law_is_parsed_but_not_resolved():
    ref = parse_article_ref("婚姻法第32条")
    assert ref.law is None and ref.law_text == "婚姻法" and ref.number == 32


def test_text_without_an_article_reference():
    assert parse_article_ref("我爸立了两份遗嘱") is None


def test_short_names_resolve_to_the_full_official_name():
    assert resolve_law_name("民法典") == CIVIL_CODE
    assert resolve_law_name("《老年人权益保障法》") == "中华人民共和国老年人权益保障法"


def test_article_label_uses_chinese_numerals():
    assert article_label(1077) == "第一千零七十七条"
    assert article_label(18) == "第十八条"
