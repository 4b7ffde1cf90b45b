"""The lexical similarity behind near-duplicate examples and the grouping of unanswered questions."""

from knowledge.similarity import group_similar, near_duplicates, similarity


def test_the_same_question_in_other_words_is_alike_and_another_question_is_not():
    assert similarity("我爸立了两份遗嘱以哪份为准", "我爸立了两份遗嘱，以哪份為準？") == 1.0
    assert similarity("老公要离婚我不同意怎么办", "邻居的狗咬了我") == 0.0


def test_near_duplicates_name_the_other_entry():
    others = [("inherit-conflicting-wills", "我爸立了两份遗嘱以哪份为准"), ("tort-dog-bite", "被狗咬了谁赔")]
    found = near_duplicates(["我爸立了两份遗嘱，以哪份为准呢", "离婚冷静期多久"], others)
    assert list(found) == ["我爸立了两份遗嘱，以哪份为准呢"]
    assert found["我爸立了两份遗嘱，以哪份为准呢"][0][0] == "inherit-conflicting-wills"


def test_messages_are_grouped_by_wording_largest_group_first():
    texts = ["邻居的狗咬了我", "我爸立了两份遗嘱以哪份为准", "邻居家的狗咬伤了我", "我爸立了两份遗嘱哪份算数"]
    texts.append("邻居的狗咬了我孩子")
    assert group_similar(texts) == [[0, 2, 4], [1, 3]]
